import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Wood-based panels and wood flooring, per m³ (flooring converted by thickness). */
export const PCR_CN_WOOD_PANEL_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-WOOD-PANEL",
  category: "wood_panel",
  name: { zh: "人造板和木地板产品种类规则", en: "Product category rule: wood-based panels and wood flooring" },
  coveredProducts: [
    { zh: "胶合板、纤维板、刨花板", en: "plywood, fibreboard, particleboard" },
    { zh: "实木复合地板、强化木地板", en: "engineered and laminate wood flooring" },
  ],
  classification: {
    gbt4754: [
      { code: "2021", name: "胶合板制造" },
      { code: "2022", name: "纤维板制造" },
      { code: "2023", name: "刨花板制造" },
    ],
    cncaCatalogue2025: { entries: [{ zh: "人造板和木地板", en: "wood-based panels and wood flooring" }] },
    pilot2024: "木制品",
    hs: ["4410", "4411", "4412", "4418.75"],
    note: "The GB/T 4754 class for wood flooring (under 203) is to be confirmed (verify).",
  },
  declaredUnit: declaredPer("m3", {
    description: { zh: "1 m³ 人造板（地板按厚度折算）", en: "1 m³ of panel (flooring converted by thickness)" },
    referenceFlow: { zh: "出厂合格板材 1 m³", en: "1 m³ of accepted panels leaving the mill" },
  }),
  allocation: allocation("volume", "Sawmill co-products by economic value; panel lines by volume."),
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024],
  note: "Biogenic CO2 (removals in wood, emissions from wood-fired boilers) is reported separately as co2_biogenic, as ISO 14067 requires.",
};
