import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, demoBenchmark, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Portland (common silicate) cement, per tonne. Low-carbon catalogue batch 1 (2013). */
export const PCR_CN_CEMENT_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-CEMENT",
  category: "cement",
  name: { zh: "通用硅酸盐水泥产品种类规则", en: "Product category rule: Portland (common silicate) cement" },
  coveredProducts: [
    { zh: "通用硅酸盐水泥（P·I、P·II、P·O、P·S、P·P、P·F、P·C）", en: "common Portland cements (P·I, P·II, P·O, P·S, P·P, P·F, P·C)" },
  ],
  classification: {
    gbt4754: [{ code: "3011", name: "水泥制造" }],
    cncaCatalogue2025: { entries: [{ zh: "水泥", en: "cement" }] },
    pilot2024: "水泥",
    lowCarbonCatalogue: { batch: 1, year: 2013, entry: "通用硅酸盐水泥" },
    hs: ["2523.29"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 水泥（注明强度等级）", en: "1 t of cement (strength class declared)" },
    referenceFlow: { zh: "出厂散装或袋装水泥 1 t", en: "1 t of bulk or bagged cement leaving the plant" },
  }),
  allocation: allocation(
    "mass",
    "Clinker is modelled as a sub-product; blended constituents that are residues (slag, fly ash) enter burden-free except their treatment.",
  ),
  labels: labelRules({
    lowCarbonBenchmark: demoBenchmark(650, "Set below the GB/T 51366-2019 annex D Portland cement value of 735 kgCO2e/t."),
    gradeBands: demoBands("Demonstration bands, kgCO2e/t cement.", ["A", 500], ["B", 600], ["C", 700], ["D", 800]),
  }),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024, SOURCES.lowCarbonRule2013, SOURCES.gbt51366],
  note: "Calcination CO2 of clinker is a direct process emission (co2_fossil) of the clinker sub-product.",
};
