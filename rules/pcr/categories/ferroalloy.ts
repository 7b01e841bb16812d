import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Ferroalloys (ferrosilicon, silicomanganese, ferrochrome …), per tonne of alloy. */
export const PCR_CN_FERROALLOY_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-FERROALLOY",
  category: "ferroalloy",
  name: { zh: "铁合金产品种类规则", en: "Product category rule: ferroalloys" },
  coveredProducts: [{ zh: "硅铁、硅锰、铬铁等铁合金", en: "ferrosilicon, silicomanganese, ferrochrome and other ferroalloys" }],
  classification: {
    gbt4754: [{ code: "3140", name: "铁合金冶炼" }],
    cncaCatalogue2025: { entries: [{ zh: "铁合金", en: "ferroalloys" }] },
    pilot2024: "钢铁",
    hs: ["7202"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 铁合金（注明牌号）", en: "1 t of ferroalloy (grade declared)" },
    referenceFlow: { zh: "出厂铁合金 1 t", en: "1 t of alloy leaving the works" },
  }),
  allocation: allocation("mass", "Submerged-arc furnace co-products (e.g. microsilica) by mass unless subdivision is possible."),
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.nea2023GreenCertificates],
};
