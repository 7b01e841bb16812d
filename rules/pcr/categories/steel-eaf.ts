import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Steel from the electric arc furnace (short process), per tonne of product. */
export const PCR_CN_STEEL_EAF_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-STEEL-EAF",
  category: "steel_eaf",
  name: { zh: "电炉短流程钢铁产品种类规则", en: "Product category rule: steel, electric arc furnace route" },
  coveredProducts: [{ zh: "电炉短流程钢坯及钢材", en: "EAF semi-finished and finished steel products" }],
  classification: {
    gbt4754: [
      { code: "3120", name: "炼钢" },
      { code: "3130", name: "钢压延加工" },
    ],
    cncaCatalogue2025: { entries: [{ zh: "电炉短流程钢铁产品", en: "EAF steel products" }] },
    pilot2024: "钢铁",
    hs: ["7206", "7207", "7213", "7214"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 钢材产品", en: "1 t of steel product" },
    referenceFlow: { zh: "出厂钢材 1 t", en: "1 t of steel leaving the works" },
  }),
  allocation: allocation("mass", "Scrap enters burden-free at the point of collection (cut-off); co-products by mass."),
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024, SOURCES.nea2023GreenCertificates],
};
