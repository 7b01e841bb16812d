/** The kinds of inventory line the editor offers (the calculator's line kinds). */
export const LINE_KINDS = [
  "material",
  "fuel",
  "electricity",
  "transport",
  "waste",
  "process_emission",
  "supplier_certificate",
  "sub_product",
] as const;
export type LineKindChoice = (typeof LINE_KINDS)[number];
