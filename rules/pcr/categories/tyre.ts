import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, demoBenchmark, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Pneumatic tyres, per tyre. Low-carbon catalogue batch 2 (2016). */
export const PCR_CN_TYRE_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-TYRE",
  category: "tyre",
  name: { zh: "轮胎产品种类规则", en: "Product category rule: tyres" },
  coveredProducts: [{ zh: "乘用车及载重汽车子午线轮胎", en: "radial tyres for passenger cars and trucks" }],
  classification: {
    gbt4754: [{ code: "2911", name: "轮胎制造" }],
    cncaCatalogue2025: { entries: [{ zh: "轮胎", en: "tyres" }] },
    pilot2024: "轮胎",
    lowCarbonCatalogue: { batch: 2, year: 2016, entry: "轮胎" },
    hs: ["4011.10", "4011.20"],
  },
  declaredUnit: declaredPer("piece", {
    description: { zh: "1 条轮胎（注明规格）", en: "1 tyre (size declared)" },
    referenceFlow: { zh: "出厂成品轮胎 1 条", en: "one finished tyre leaving the plant" },
  }),
  allocation: allocation("mass", "Shared mixing and curing burdens allocated by tyre mass."),
  labels: labelRules({
    lowCarbonBenchmark: demoBenchmark(28, "Passenger-car radial tyre of about 9 kg, kgCO2e per tyre, cradle-to-gate."),
    gradeBands: demoBands("Demonstration bands, kgCO2e per passenger-car tyre.", ["A", 22], ["B", 28], ["C", 35]),
  }),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024, SOURCES.lowCarbonRule2013],
};
