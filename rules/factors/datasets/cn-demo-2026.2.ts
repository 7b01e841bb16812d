import type { EmissionFactor, FactorDataset } from "../schema.ts";
import { CN_DEMO_2026_1 } from "./cn-demo-2026.1.ts";

/**
 * CN-DEMO 2026.2 — the demonstration dataset on top of the published factors.
 *
 * It includes CN-PUBLISHED 2026.1 (pinned by content hash) and keeps of CN-DEMO 2026.1 only what
 * the published data does not cover: materials, transport, waste treatment, and the fuel values
 * table C.1 of GB/T 32151.22—2024 has no row for (raw coal, refinery gas, coal per tce). The
 * electricity and fuel factors it drops come back from CN-PUBLISHED under the same codes, so the
 * demo products' lines keep their factor codes; their values are those of the published source
 * (kerosene 3.0334 instead of 3.0179 kg/kg, natural gas 2.16219 instead of 2.1622 kg/m³, the fuels
 * dated 2024), and grid electricity takes the 2024 carbon-footprint factor for 2024 and later.
 */

/**
 * Codes of CN-DEMO 2026.1 that CN-PUBLISHED 2026.1 now gives from the published documents, besides
 * every electricity CO2 factor (EL-S2-*), all of which it gives.
 */
const NOW_PUBLISHED: ReadonlySet<string> = new Set([
  "EL-LC-CN-2023",
  "EL-LC-WIND-2023",
  "EL-LC-PV-2023",
  "EL-LC-BIOMASS-2023",
  "FUEL-COKE",
  "FUEL-CRUDE-OIL",
  "FUEL-FUEL-OIL",
  "FUEL-GASOLINE",
  "FUEL-KEROSENE",
  "FUEL-DIESEL",
  "FUEL-LPG",
  "FUEL-NATURAL-GAS",
]);

const own: EmissionFactor[] = CN_DEMO_2026_1.factors.filter((f) => !f.code.startsWith("EL-S2-") && !NOW_PUBLISHED.has(f.code));

export const CN_DEMO_2026_2: FactorDataset = {
  id: "CN-DEMO",
  version: "2026.2",
  name: { zh: "中国演示排放因子库 2026.2", en: "China demonstration emission-factor dataset 2026.2" },
  publishedOn: "2026-12-07",
  demonstration: true,
  note: "CN-DEMO 2026.1 without the electricity and fuel factors CN-PUBLISHED 2026.1 now gives from the published documents, which it includes; values flagged demonstration are illustrative only.",
  includes: [{ id: "CN-PUBLISHED", version: "2026.1", sha256: "5d21847079ea08ce4173c6433e53b4dbbd0402570abe19fb4e1f7030c50120b1" }],
  factors: own,
};
