import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, demoBenchmark, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Flat (float) glass, per m² of 5 mm equivalent. Low-carbon catalogue batch 1 (2013). */
export const PCR_CN_FLAT_GLASS_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-FLAT-GLASS",
  category: "flat_glass",
  name: { zh: "平板玻璃产品种类规则", en: "Product category rule: flat glass" },
  coveredProducts: [{ zh: "浮法平板玻璃", en: "float flat glass" }],
  classification: {
    gbt4754: [{ code: "3041", name: "平板玻璃制造" }],
    lowCarbonCatalogue: { batch: 1, year: 2013, entry: "平板玻璃" },
    hs: ["7005"],
  },
  declaredUnit: declaredPer("m2", {
    description: { zh: "1 m² 平板玻璃（折合 5 mm 厚度）", en: "1 m² of flat glass (5 mm thickness equivalent)" },
    referenceFlow: {
      zh: "厚度 d mm 的玻璃按质量折算为 5 mm 当量面积（约 12.5 kg/m²）",
      en: "glass of thickness d mm converted by mass to 5 mm-equivalent area (about 12.5 kg/m²)",
    },
  }),
  allocation: allocation("mass", "Furnace emissions shared between thickness grades by mass; cullet enters burden-free."),
  labels: labelRules({
    lowCarbonBenchmark: demoBenchmark(12, "About 12.5 kg/m² × GB/T 51366-2019 flat glass 1 130 kgCO2e/t ≈ 14.1 kgCO2e/m²; benchmark set below it."),
    gradeBands: demoBands("Demonstration bands, kgCO2e/m² (5 mm equivalent).", ["A", 9], ["B", 12], ["C", 15]),
  }),
  sources: [...BASE_SOURCES, SOURCES.lowCarbonRule2013, SOURCES.gbt51366],
};
