import { allocation, BASE_SOURCES, PUBLISHED_V1, RC_DEFAULT, SOURCES, STAGES_CRADLE_TO_GATE } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Urea fertiliser, per tonne of product. */
export const PCR_CN_UREA_1_0_0: PcrInput = {
  ...PUBLISHED_V1,
  code: "PCR-CN-UREA",
  category: "urea",
  name: { zh: "尿素产品种类规则", en: "Product category rule: urea" },
  coveredProducts: [{ zh: "农业用及工业用尿素", en: "agricultural and technical-grade urea" }],
  classification: {
    gbt4754: [{ code: "2621", name: "氮肥制造" }],
    pilot2024: "尿素",
    hs: ["3102.10"],
  },
  declaredUnit: {
    kind: "declared",
    quantity: 1,
    unit: "t",
    description: { zh: "1 t 尿素产品", en: "1 t of urea" },
    referenceFlow: { zh: "出厂尿素 1 t", en: "1 t of urea leaving the plant" },
  },
  boundary: "cradle_to_gate",
  stages: STAGES_CRADLE_TO_GATE,
  allocation: allocation(
    "mass",
    "CO2 from ammonia synthesis bound in urea is a stored flow, released at application (outside cradle-to-gate); report it separately.",
  ),
  labels: { lowCarbonBenchmark: null, gradeBands: null, reducedCarbon: RC_DEFAULT, validityYears: {} },
  sources: [...BASE_SOURCES, SOURCES.samrPilot2024],
};
