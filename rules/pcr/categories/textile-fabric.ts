import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, demoBenchmark, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Textile fabrics (woven and knitted), per kg. Low-carbon catalogue batch 2 (2016). */
export const PCR_CN_TEXTILE_FABRIC_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-TEXTILE-FABRIC",
  category: "textile_fabric",
  name: { zh: "纺织面料产品种类规则", en: "Product category rule: textile fabrics" },
  coveredProducts: [{ zh: "机织及针织面料（含染整）", en: "woven and knitted fabrics, including dyeing and finishing" }],
  classification: {
    gbt4754: [
      { code: "1712", name: "棉织造加工" },
      { code: "1761", name: "针织或钩针编织物织造" },
    ],
    cncaCatalogue2025: { entries: [{ zh: "纺织品", en: "textiles" }] },
    pilot2024: "纺织品",
    lowCarbonCatalogue: { batch: 2, year: 2016, entry: "纺织面料" },
    hs: ["5407", "5512", "6005"],
  },
  declaredUnit: declaredPer("kg", {
    description: { zh: "1 kg 成品面料", en: "1 kg of finished fabric" },
    referenceFlow: { zh: "出厂成品面料 1 kg（注明克重与幅宽）", en: "1 kg of finished fabric leaving the mill (areal weight and width declared)" },
  }),
  allocation: allocation("mass", "Shared dyeing-house utilities (steam, wastewater) allocated by mass of fabric processed."),
  labels: labelRules({
    lowCarbonBenchmark: demoBenchmark(13, "kgCO2e per kg of dyed synthetic fabric, cradle-to-gate."),
    gradeBands: demoBands("Demonstration bands, kgCO2e/kg fabric.", ["A", 8], ["B", 13], ["C", 18]),
  }),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024, SOURCES.lowCarbonRule2013, SOURCES.seed004],
};
