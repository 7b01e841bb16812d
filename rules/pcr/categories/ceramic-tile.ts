import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, demoBenchmark, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Ceramic tiles and slabs, per m². Low-carbon catalogue batch 2 (2016). */
export const PCR_CN_CERAMIC_TILE_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-CERAMIC-TILE",
  category: "ceramic_tile",
  name: { zh: "建筑陶瓷砖（板）产品种类规则", en: "Product category rule: ceramic tiles and slabs" },
  coveredProducts: [{ zh: "建筑陶瓷砖及陶瓷板", en: "ceramic tiles and ceramic slabs for buildings" }],
  classification: {
    gbt4754: [{ code: "3071", name: "建筑陶瓷制品制造" }],
    lowCarbonCatalogue: { batch: 2, year: 2016, entry: "建筑陶瓷砖（板）" },
    hs: ["6907"],
  },
  declaredUnit: declaredPer("m2", {
    description: { zh: "1 m² 陶瓷砖（注明厚度）", en: "1 m² of ceramic tile (thickness declared)" },
    referenceFlow: { zh: "出厂合格品 1 m²", en: "1 m² of accepted tiles leaving the plant" },
  }),
  allocation: allocation(
    "area",
    "Kiln and spray-dryer burdens shared between products by area produced (thickness-weighted mass where thickness differs).",
  ),
  labels: labelRules({
    lowCarbonBenchmark: demoBenchmark(11, "kgCO2e per m² of about 10 mm floor tile, cradle-to-gate."),
    gradeBands: demoBands("Demonstration bands, kgCO2e/m².", ["A", 8], ["B", 11], ["C", 14]),
  }),
  sources: [...BASE_SOURCES, SOURCES.lowCarbonRule2013],
};
