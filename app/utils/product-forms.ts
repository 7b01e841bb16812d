/**
 * The product form and the new-inventory form: one schema each, validated in the browser
 * (Conform) and by the action. The PCR catalogue stays on the server, so the product schema takes
 * the codes the page was given.
 */
import { z } from "zod";
import { fields } from "./forms.ts";
import { gtinIsValid } from "./gtin.ts";
import { PROVINCES } from "./provinces.ts";

export function productFormSchema(pcrCodes: readonly string[]) {
  return z.object({
    nameZh: fields.text(200),
    nameEn: fields.text(200),
    model: fields.optionalText(200),
    pcrCode: z.enum(pcrCodes as [string, ...string[]], { error: "v.choice" }),
    siteRegion: z.enum(PROVINCES.map((p) => p.code) as [string, ...string[]], { error: "v.choice" }),
    description: fields.optionalText(2000),
    gtin: z
      .string()
      .trim()
      .max(14)
      .optional()
      .default("")
      .refine((v) => v === "" || gtinIsValid(v), "v.gtin"),
    internalCode: fields.optionalText(100),
  });
}
export type ProductForm = z.infer<ReturnType<typeof productFormSchema>>;

const isoDate = z.iso.date("v.date");

/**
 * A new inventory's period and production. Whether the production unit converts to the PCR's
 * declared unit is checked by the action (the unit table stays on the server).
 */
export const InventoryFormSchema = z
  .object({
    periodStart: isoDate,
    periodEnd: isoDate,
    productionQuantity: z.coerce.number({ error: "v.number" }).finite("v.number").positive("v.positive").max(1e15),
    productionUnit: z.string().trim().min(1).max(20),
  })
  .refine((v) => v.periodEnd >= v.periodStart, { message: "v.dateOrder", path: ["periodEnd"] });
