import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, demoBenchmark, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Aluminium alloy building profiles, per tonne. Low-carbon catalogue batch 1 (2013). */
export const PCR_CN_ALU_PROFILE_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-ALU-PROFILE",
  category: "aluminium_profile",
  name: { zh: "铝合金建筑型材产品种类规则", en: "Product category rule: aluminium alloy building profiles" },
  coveredProducts: [
    {
      zh: "铝合金建筑型材（基材、阳极氧化、电泳涂漆、粉末喷涂、隔热型材）",
      en: "aluminium alloy building profiles (mill, anodised, electrophoretic, powder-coated, thermal-break)",
    },
  ],
  classification: {
    gbt4754: [{ code: "3252", name: "铝压延加工" }],
    lowCarbonCatalogue: { batch: 1, year: 2013, entry: "铝合金建筑型材" },
    hs: ["7604.21", "7604.29"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 铝合金建筑型材", en: "1 t of aluminium building profiles" },
    referenceFlow: { zh: "出厂型材 1 t（注明表面处理方式）", en: "1 t of profiles leaving the plant (surface treatment declared)" },
  }),
  allocation: allocation(
    "mass",
    "Internal process scrap is looped back (closed loop, modelled as a sub-product); purchased post-consumer scrap burden-free.",
  ),
  labels: labelRules({
    lowCarbonBenchmark: demoBenchmark(
      16000,
      "Primary aluminium alone is 20 300 kgCO2e/t (GB/T 51366-2019); the benchmark presumes recycled content.",
    ),
    gradeBands: demoBands("Demonstration bands, kgCO2e/t.", ["A", 8000], ["B", 16000], ["C", 22000]),
  }),
  sources: [...BASE_SOURCES, SOURCES.lowCarbonRule2013, SOURCES.gbt51366],
};
