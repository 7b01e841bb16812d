import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, demoBands, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Crystalline-silicon photovoltaic modules, per kW of peak power (kWp, STC). */
export const PCR_CN_PV_MODULE_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-PV-MODULE",
  category: "pv_module",
  name: { zh: "光伏组件产品种类规则", en: "Product category rule: photovoltaic modules" },
  coveredProducts: [{ zh: "晶体硅光伏组件", en: "crystalline-silicon photovoltaic modules" }],
  classification: {
    gbt4754: [{ code: "3825", name: "光伏设备及元器件制造" }],
    cncaCatalogue2025: { entries: [{ zh: "光伏组件", en: "photovoltaic modules" }] },
    pilot2024: "光伏产品",
    hs: ["8541.43"],
  },
  declaredUnit: declaredPer("kW", {
    description: { zh: "1 kWp 组件峰值功率（标准测试条件）", en: "1 kWp of module peak power (standard test conditions)" },
    referenceFlow: { zh: "标称功率 P W 的组件一块，结果换算到 1 kWp", en: "one module of nameplate power P W, result scaled to 1 kWp" },
  }),
  allocation: allocation(
    "rated_capacity",
    "Polysilicon, wafer and cell steps shared across module types allocated by rated power (W); silicon co-products by mass.",
  ),
  labels: labelRules({
    gradeBands: demoBands("Demonstration bands in kgCO2e/kWp, in the spirit of French CRE evaluation grades.", ["A", 400], ["B", 550], ["C", 700]),
  }),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024, SOURCES.nea2023GreenCertificates],
};
