import { allocation, BASE_SOURCES, CRADLE_TO_GATE_V1, declaredPer, labelRules, SOURCES } from "../common.ts";
import type { PcrInput } from "../schema.ts";

/** Ammonium phosphates (MAP, DAP), per tonne of product. */
export const PCR_CN_AMMONIUM_PHOSPHATE_1_0_0: PcrInput = {
  ...CRADLE_TO_GATE_V1,
  code: "PCR-CN-AMMONIUM-PHOSPHATE",
  category: "ammonium_phosphate",
  name: { zh: "磷酸铵产品种类规则", en: "Product category rule: ammonium phosphates" },
  coveredProducts: [{ zh: "磷酸一铵（MAP）、磷酸二铵（DAP）", en: "monoammonium phosphate (MAP), diammonium phosphate (DAP)" }],
  classification: {
    gbt4754: [{ code: "2622", name: "磷肥制造" }],
    pilot2024: "磷铵",
    hs: ["3105.30", "3105.40"],
  },
  declaredUnit: declaredPer("t", {
    description: { zh: "1 t 磷酸铵产品（注明养分含量）", en: "1 t of ammonium phosphate (nutrient content declared)" },
    referenceFlow: { zh: "出厂产品 1 t", en: "1 t of product leaving the plant" },
  }),
  allocation: allocation(
    "mass",
    "Phosphoric-acid plant burdens by P2O5 mass; phosphogypsum treated as waste with its treatment burden; sulphuric-acid surplus heat credited by system expansion.",
  ),
  labels: labelRules(),
  sources: [...BASE_SOURCES, SOURCES.samrPilot2024],
};
