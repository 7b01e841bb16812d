import { ASSEMBLED_PRODUCT_V1, functionalPiece } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Laptop (notebook) computers, per unit over a 4-year reference service life. */
export const PCR_CN_PC_LAPTOP_1_0_0: PcrInput = {
  ...ASSEMBLED_PRODUCT_V1,
  code: "PCR-CN-PC-LAPTOP",
  category: "computer_laptop",
  name: { zh: "便携式计算机产品种类规则", en: "Product category rule: laptop computers" },
  coveredProducts: [{ zh: "笔记本电脑", en: "notebook (laptop) computers" }],
  classification: {
    gbt4754: [{ code: "3912", name: "计算机整机制造" }],
    cncaCatalogue2025: { entries: [{ zh: "便携式计算机", en: "laptop computers" }] },
    pilot2024: "电子电器",
    hs: ["8471.30"],
  },
  declaredUnit: functionalPiece({
    description: { zh: "一台便携式计算机在 4 年参考使用期内的使用", en: "one laptop used over a 4-year reference service life" },
    referenceFlow: { zh: "整机一台（含电源适配器与包装）", en: "one laptop including power adapter and packaging" },
  }),
};

/** Desktop computers, per unit over a 5-year reference service life. */
export const PCR_CN_PC_DESKTOP_1_0_0: PcrInput = {
  ...ASSEMBLED_PRODUCT_V1,
  code: "PCR-CN-PC-DESKTOP",
  category: "computer_desktop",
  name: { zh: "台式计算机产品种类规则", en: "Product category rule: desktop computers" },
  coveredProducts: [{ zh: "台式计算机（含一体机）", en: "desktop computers (including all-in-one)" }],
  classification: {
    gbt4754: [{ code: "3912", name: "计算机整机制造" }],
    cncaCatalogue2025: { entries: [{ zh: "台式计算机", en: "desktop computers" }] },
    pilot2024: "电子电器",
    hs: ["8471.41", "8471.49"],
  },
  declaredUnit: functionalPiece({
    description: { zh: "一台台式计算机在 5 年参考使用期内的使用", en: "one desktop computer used over a 5-year reference service life" },
    referenceFlow: { zh: "主机一台（不含显示器，一体机除外）与包装", en: "one system unit (display excluded unless all-in-one) with packaging" },
  }),
};
