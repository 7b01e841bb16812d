import { ASSEMBLED_PRODUCT_V1, functionalPiece } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Room air conditioners, per unit over the reference service life (cradle to grave). */
export const PCR_CN_RAC_1_0_0: PcrInput = {
  code: "PCR-CN-RAC",
  category: "room_air_conditioner",
  name: { zh: "房间空气调节器产品种类规则", en: "Product category rule: room air conditioners" },
  coveredProducts: [{ zh: "分体式及整体式房间空调器", en: "split and packaged room air conditioners" }],
  classification: {
    gbt4754: [{ code: "3852", name: "家用空气调节器制造" }],
    cncaCatalogue2025: { entries: [{ zh: "房间空气调节器", en: "room air conditioners" }] },
    pilot2024: "电子电器",
    hs: ["8415.10"],
  },
  declaredUnit: functionalPiece({
    description: {
      zh: "一台空调器在 10 年参考使用期内提供额定制冷（热）量",
      en: "one air conditioner providing its rated cooling (heating) capacity over a 10-year reference service life",
    },
    referenceFlow: { zh: "空调器一套（室内机 + 室外机）", en: "one unit (indoor + outdoor)" },
  }),
  ...ASSEMBLED_PRODUCT_V1,
  note: "Refrigerant charge losses (manufacturing, service, end of life) are direct emissions per gas (e.g. HFC-32).",
};
