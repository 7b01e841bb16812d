import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, demoBenchmark, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/**
 * Small and medium three-phase asynchronous motors (low-carbon catalogue batch 1, 2013) and
 * small-power motors (CNCA catalogue 2025), per kW of rated output power.
 */
export const PCR_CN_MOTOR_3PH_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-MOTOR-3PH",
  category: "electric_motor",
  name: { zh: "中小型三相异步电动机产品种类规则", en: "Product category rule: small and medium three-phase asynchronous motors" },
  coveredProducts: [
    { zh: "中小型三相异步电动机", en: "small and medium three-phase asynchronous motors" },
    { zh: "小功率电动机", en: "small-power motors" },
  ],
  classification: {
    gbt4754: [{ code: "3812", name: "电动机制造" }],
    cncaCatalogue2025: { entries: [{ zh: "小功率电动机", en: "small-power motors" }] },
    lowCarbonCatalogue: { batch: 1, year: 2013, entry: "中小型三相异步电动机" },
    hs: ["8501.51", "8501.52"],
  },
  declaredUnit: declaredPer("kW", {
    description: { zh: "1 kW 额定输出功率", en: "1 kW of rated output power" },
    referenceFlow: { zh: "额定功率 P kW 的电动机一台，结果除以 P", en: "one motor of rated power P kW, result divided by P" },
  }),
  allocation: allocation("mass", "Shared workshop burdens allocated by mass of motors produced."),
  labels: labelRules({
    lowCarbonBenchmark: demoBenchmark(
      45,
      "Cradle-to-gate, kgCO2e per kW rated output; the use stage is assessed through the motor's efficiency class, not here.",
    ),
    gradeBands: demoBands("Demonstration bands, kgCO2e/kW.", ["A", 30], ["B", 45], ["C", 60]),
  }),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.lowCarbonRule2013],
};
