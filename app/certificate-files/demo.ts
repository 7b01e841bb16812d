/**
 * Demonstration certificates: the demo manufacturer's reference products (rules/examples/*.json,
 * seeded by workflows/demo/products.ts) calculated by the real calculator under their PCRs and issued by
 * the demo body CCDC. Every figure can be recomputed with `npm run calc`. Used by the PDF
 * benchmark, the tests and demo screens; the names say "示范/Demo" as all demo data does.
 */
import batteryExample from "../../rules/examples/battery-inventory.json" with { type: "json" };
import cementExample from "../../rules/examples/cement-inventory.json" with { type: "json" };
import textileExample from "../../rules/examples/textile-inventory.json" with { type: "json" };
import { calculateFootprint, parseInventory } from "../../rules/calculator/index.ts";
import { toDecimalString } from "../../rules/format.ts";
import { gradeBand, validUntil } from "../../rules/labels/index.ts";
import { PCR_CATALOGUE, type LabelType } from "../../rules/pcr/index.ts";
import { DEMO_ORGANIZATIONS } from "../../workflows/demo/demo.ts";
import { footprintFactsFromResult } from "../../workflows/certificates/from-result.ts";
import { CERTIFICATE_SCHEMA_ID, parseCertificatePayload, type CertificatePayload, type LabelFacts } from "../../workflows/certificates/payload.ts";

// The reference products as workflows/demo/products.ts names them.
const EXAMPLES = {
  battery: {
    inventory: batteryExample,
    name: { zh: "NCM811 电动汽车动力电池包", en: "EV traction battery pack (NCM811)" },
    model: "HL-EV60-NCM811",
    internalCode: "DEMO-BAT-PACK",
  },
  cement: {
    inventory: cementExample,
    name: { zh: "P·O 42.5 普通硅酸盐水泥", en: "P·O 42.5 ordinary Portland cement" },
    model: "P·O 42.5",
    internalCode: "DEMO-CEM-PO425",
  },
  textile: {
    inventory: textileExample,
    name: { zh: "经编提花工程网布（染色）", en: "Warp-knitted jacquard mesh, dyed" },
    model: "HL-MESH-220",
    internalCode: "DEMO-TEX-MESH",
  },
} as const;
export type DemoExample = keyof typeof EXAMPLES;

function organization(key: "manufacturer" | "cb1") {
  const found = DEMO_ORGANIZATIONS.find((o) => o.key === key);
  if (!found?.name_zh || !found.name_en) throw new Error(`demo organization ${key} is missing`);
  return found;
}

export const DEMO_ISSUE_DATE = "2026-03-02";

export interface DemoCertificateOptions {
  readonly example?: DemoExample;
  readonly labelType?: LabelType;
  /** Facts for RC and CN (they depend on earlier certificates and retired credits); LC takes the PCR's benchmark. */
  readonly labelFacts?: LabelFacts;
  readonly sequence?: number;
  readonly issuedOn?: string;
}

/** A demo certificate payload; by default the CF certificate CCDC-CF-2026-000001 of the battery pack. */
export function demoCertificatePayload(options: DemoCertificateOptions = {}): CertificatePayload {
  const example = EXAMPLES[options.example ?? "battery"];
  const labelType = options.labelType ?? "CF";
  const issuedOn = options.issuedOn ?? DEMO_ISSUE_DATE;
  const inventory = parseInventory(example.inventory);
  const facts = footprintFactsFromResult(calculateFootprint(inventory));
  const pcr = PCR_CATALOGUE.get(inventory.pcr.code, inventory.pcr.version);
  const grade = gradeBand(pcr, Number(facts.footprint.value));
  const manufacturer = organization("manufacturer");
  const cb = organization("cb1");
  const party = { name: { zh: manufacturer.name_zh, en: manufacturer.name_en }, creditCode: manufacturer.credit_code ?? null };
  const benchmark = pcr.labels.lowCarbonBenchmark;
  const labelFacts: LabelFacts =
    options.labelFacts ??
    (labelType === "LC" && benchmark
      ? { type: "LC", benchmark: { value: toDecimalString(benchmark.kgCO2ePerDeclaredUnit), unit: "kgCO2e", demonstration: benchmark.demonstration } }
      : { type: "CF" });
  return parseCertificatePayload({
    schema: CERTIFICATE_SCHEMA_ID,
    number: `${cb.cb_code}-${labelType}-${issuedOn.slice(0, 4)}-${String(options.sequence ?? 1).padStart(6, "0")}`,
    labelType,
    holder: party,
    producer: party,
    product: { name: example.name, model: example.model, identifiers: [{ scheme: "internal", value: example.internalCode }] },
    pcr: { code: pcr.code, version: pcr.version, name: pcr.name, contentSha256: facts.pcrContentSha256 },
    declaredUnit: facts.declaredUnit,
    footprint: facts.footprint,
    stages: facts.stages,
    gases: facts.gases,
    dataQuality: facts.dataQuality,
    grade: grade?.grade && labelType !== "CN" ? { grade: grade.grade, label: grade.label, demonstration: grade.demonstration } : null,
    labelFacts,
    versions: facts.versions,
    issuer: { cbCode: cb.cb_code, name: { zh: cb.name_zh, en: cb.name_en }, approvalNumber: cb.cnca_approval_number },
    issuedOn,
    validUntil: validUntil(labelType, pcr, issuedOn),
  });
}
