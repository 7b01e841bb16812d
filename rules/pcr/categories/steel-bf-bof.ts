import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Steel from the blast furnace – basic oxygen furnace route, per tonne of product. */
export const PCR_CN_STEEL_BF_BOF_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-STEEL-BF-BOF",
  category: "steel_bf_bof",
  name: { zh: "高炉-转炉长流程钢铁产品种类规则", en: "Product category rule: steel, blast furnace – basic oxygen furnace route" },
  coveredProducts: [{ zh: "长流程钢坯、热轧及冷轧钢材", en: "BF-BOF semi-finished, hot-rolled and cold-rolled steel products" }],
  classification: {
    gbt4754: [
      { code: "3110", name: "炼铁" },
      { code: "3120", name: "炼钢" },
      { code: "3130", name: "钢压延加工" },
    ],
    cncaCatalogue2025: { entries: [{ zh: "高炉-转炉长流程钢铁产品", en: "BF-BOF steel products" }] },
    pilot2024: "钢铁",
    hs: ["7206", "7207", "7208", "7209", "7213", "7214"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 钢材产品", en: "1 t of steel product" },
    referenceFlow: { zh: "出厂钢材 1 t（注明品种规格）", en: "1 t of steel leaving the works (grade and format declared)" },
  }),
  allocation: allocation(
    "energy_content",
    "Process gases (BF/BOF/coke-oven gas) exported from the works are credited by system expansion where possible; otherwise allocation by energy content; slag by economic value.",
  ),
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024, SOURCES.gbt51366],
};
