import { lithiumIonBatteryPcr } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Consumer lithium-ion cells and packs (phones, laptops, power tools), per kWh of rated energy. */
export const PCR_CN_LIB_CONSUMER_1_0_0: PcrInput = lithiumIonBatteryPcr({
  code: "PCR-CN-LIB-CONSUMER",
  category: "lithium_ion_battery_consumer",
  name: { zh: "消费类锂离子电池产品种类规则", en: "Product category rule: consumer lithium-ion batteries" },
  coveredProducts: [{ zh: "便携式电子产品用锂离子电池及电池组", en: "Li-ion cells and packs for portable electronic products" }],
  catalogueEntries: [{ zh: "消费类锂离子电池", en: "consumer lithium-ion batteries" }],
  referenceFlow: {
    zh: "额定能量 E Wh 的电池一只，结果换算到 1 kWh",
    en: "one battery of rated energy E Wh, result scaled to 1 kWh",
  },
  allocationNote: "Shared cell production allocated by rated energy (Wh).",
  // Portable batteries are outside the carbon-footprint duty of EU 2023/1542 art. 7.
  euBatteryRegulation: false,
});
