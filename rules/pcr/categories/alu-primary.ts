import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, ELECTRICITY_DEFAULT, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Electrolytic (primary) aluminium, per tonne of ingot or liquid metal. */
export const PCR_CN_ALU_PRIMARY_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-ALU-PRIMARY",
  category: "aluminium_primary",
  name: { zh: "电解铝产品种类规则", en: "Product category rule: electrolytic (primary) aluminium" },
  coveredProducts: [{ zh: "重熔用铝锭及铝液", en: "primary aluminium ingot and liquid metal" }],
  classification: {
    gbt4754: [{ code: "3216", name: "铝冶炼" }],
    cncaCatalogue2025: { entries: [{ zh: "电解铝", en: "electrolytic aluminium" }] },
    pilot2024: "电解铝",
    hs: ["7601.10"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 原铝", en: "1 t of primary aluminium" },
    referenceFlow: { zh: "出厂铝锭或铝液 1 t", en: "1 t of ingot or liquid aluminium leaving the smelter" },
  }),
  allocation: allocation("mass", "Alumina refinery and anode plant shared outputs by mass; captive power plants modelled as sub-products."),
  electricity: {
    ...ELECTRICITY_DEFAULT,
    note: `${ELECTRICITY_DEFAULT.note} Captive (self-owned) power plants are modelled as on-site generation with their own fuel inventory.`,
  },
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.cncaCatalogue2025, SOURCES.samrPilot2024, SOURCES.gbt51366, SOURCES.nea2023GreenCertificates],
  note: "Anode effects emit CF4 and C2F6: report them as direct process emissions per gas.",
};
