/**
 * Who and what a case is about, as the applicant handed it over: the product (names, model, GTIN,
 * internal code, production province) and the holder (names, unified social credit code). Copied
 * when the case is opened and for the last time at submission; the body assesses this snapshot,
 * the certificate signs it and the registry lists it. A later edit of the product or organization
 * reaches only drafts and new applications (ADR 0014).
 */
import { z } from "zod";
import { REGIONS } from "../../rules/regions.ts";

const Name = z.string().min(1).max(200);
const BilingualName = z.strictObject({ zh: Name, en: Name });

export const CaseIdentitySchema = z.strictObject({
  product: z.strictObject({
    nameZh: Name,
    nameEn: Name,
    model: z.string().max(100),
    gtin: z.string().max(64).nullable(),
    internalCode: z.string().max(64).nullable(),
    /** ISO 3166-2:CN code of the province where the product is made. */
    siteRegion: z.string().max(16),
    /** The province's name when the snapshot was taken (null for a code the catalogue does not know). */
    siteProvince: BilingualName.nullable(),
  }),
  holder: z.strictObject({
    nameZh: Name,
    nameEn: Name,
    /** 统一社会信用代码; null for an organization registered outside mainland China. */
    creditCode: z.string().max(18).nullable(),
  }),
});
export type CaseIdentity = z.infer<typeof CaseIdentitySchema>;

/** The live rows a snapshot is taken from. */
export interface IdentitySource {
  readonly product: {
    readonly name_zh: string;
    readonly name_en: string;
    readonly model: string;
    readonly gtin: string | null;
    readonly internal_code: string | null;
    readonly site_region: string;
  };
  readonly holder: { readonly name_zh: string; readonly name_en: string; readonly credit_code: string | null };
}

export function identityOf(source: IdentitySource): CaseIdentity {
  const { product, holder } = source;
  const province = REGIONS.find((r) => r.code === product.site_region);
  return CaseIdentitySchema.parse({
    product: {
      nameZh: product.name_zh,
      nameEn: product.name_en,
      model: product.model,
      gtin: product.gtin,
      internalCode: product.internal_code,
      siteRegion: product.site_region,
      siteProvince: province ? { zh: province.name.zh, en: province.name.en } : null,
    },
    holder: { nameZh: holder.name_zh, nameEn: holder.name_en, creditCode: holder.credit_code },
  });
}

/** Reads a stored snapshot; a row that no longer parses is an error naming the case, never a cast. */
export function parseCaseIdentity(caseId: string, stored: unknown): CaseIdentity {
  const parsed = CaseIdentitySchema.safeParse(stored);
  if (!parsed.success) throw new Error(`case ${caseId}: the stored identity snapshot does not parse (${parsed.error.issues[0]?.message ?? "?"})`);
  return parsed.data;
}
