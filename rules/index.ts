/** CarbonLabel rules: PCR catalogue, emission factors, units, GWP, calculator, conformance, labels. */
export * from "./errors.ts";
export * from "./i18n.ts";
export * from "./units.ts";
export * from "./gwp.ts";
export * from "./stages.ts";
export * from "./regions.ts";
export * from "./format.ts";
export { CanonicalMemo, canonicalJson, contentHash } from "./canonical.ts";
export * from "./pcr/index.ts";
export * from "./factors/index.ts";
export * from "./calculator/index.ts";
export * from "./conformance/index.ts";
export * from "./labels/index.ts";
