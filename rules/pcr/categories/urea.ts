import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Urea fertiliser, per tonne of product. */
export const PCR_CN_UREA_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-UREA",
  category: "urea",
  name: { zh: "尿素产品种类规则", en: "Product category rule: urea" },
  coveredProducts: [{ zh: "农业用及工业用尿素", en: "agricultural and technical-grade urea" }],
  classification: {
    gbt4754: [{ code: "2621", name: "氮肥制造" }],
    pilot2024: "尿素",
    hs: ["3102.10"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 尿素产品", en: "1 t of urea" },
    referenceFlow: { zh: "出厂尿素 1 t", en: "1 t of urea leaving the plant" },
  }),
  allocation: allocation(
    "mass",
    "CO2 from ammonia synthesis bound in urea is a stored flow, released at application (outside cradle-to-gate); report it separately.",
  ),
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.samrPilot2024],
};
