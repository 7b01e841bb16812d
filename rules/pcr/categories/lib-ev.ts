import { demoBands, lithiumIonBatteryPcr } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Power lithium-ion batteries (EV and small-power traction), per kWh of rated energy. */
export const PCR_CN_LIB_EV_1_0_0: PcrInput = lithiumIonBatteryPcr({
  code: "PCR-CN-LIB-EV",
  category: "lithium_ion_battery_power",
  name: { zh: "动力锂离子电池产品种类规则", en: "Product category rule: power (traction) lithium-ion batteries" },
  coveredProducts: [
    { zh: "电动汽车用动力锂离子电池包及系统", en: "traction Li-ion battery packs and systems for electric vehicles" },
    { zh: "小型动力锂离子电池（电动自行车等）", en: "small-power Li-ion batteries (e-bikes and light means of transport)" },
  ],
  catalogueEntries: [
    { zh: "大型动力锂离子电池", en: "large power lithium-ion batteries" },
    { zh: "小型动力锂离子电池", en: "small-power lithium-ion batteries" },
  ],
  referenceFlow: {
    zh: "额定能量为 E kWh 的电池包一件，结果除以 E；EU 2023/1542 按服役期内交付能量计，另行换算",
    en: "one battery pack of rated energy E kWh, result divided by E; EU 2023/1542 per kWh delivered over service life is derived separately",
  },
  allocationNote: "Multi-product cell plants allocate shared production by rated energy (kWh) after subdivision by line.",
  gradeBands: demoBands(
    "Demonstration bands for the EV battery carbon-footprint label; EU performance classes not yet adopted.",
    ["A", 60],
    ["B", 80],
    ["C", 100],
    ["D", 130],
  ),
  euBatteryRegulation: true,
});
