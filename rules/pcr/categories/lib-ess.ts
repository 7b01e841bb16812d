import { lithiumIonBatteryPcr } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Lithium-ion batteries for stationary energy storage, per kWh of rated energy. */
export const PCR_CN_LIB_ESS_1_0_0: PcrInput = lithiumIonBatteryPcr({
  code: "PCR-CN-LIB-ESS",
  category: "lithium_ion_battery_storage",
  name: { zh: "储能用锂离子电池产品种类规则", en: "Product category rule: lithium-ion batteries for energy storage" },
  coveredProducts: [{ zh: "电力储能用锂离子电池模块、电池簇及系统", en: "Li-ion modules, racks and systems for stationary energy storage" }],
  catalogueEntries: [{ zh: "储能用锂离子电池", en: "lithium-ion batteries for energy storage" }],
  referenceFlow: {
    zh: "额定能量 E kWh 的储能电池系统一套，结果除以 E",
    en: "one storage system of rated energy E kWh, result divided by E",
  },
  allocationNote: "Shared cell production allocated by rated energy (kWh).",
  euBatteryRegulation: true,
});
