/**
 * Organization details: one schema per kind, shared by the platform admin's onboarding form and
 * each organization's own profile page.
 */
import { z } from "zod";
import { creditCodeProblem } from "../utils/credit-code.ts";
import { fields } from "../utils/forms.ts";
import { PROVINCES } from "../utils/provinces.ts";

export const creditCodeField = () =>
  z
    .string({ error: "v.required" })
    .trim()
    .toUpperCase()
    .min(1)
    .superRefine((code, ctx) => {
      const problem = creditCodeProblem(code);
      if (problem) ctx.addIssue({ code: "custom", message: `v.creditCode.${problem}` });
    });

const provinceField = () => z.enum(PROVINCES.map((p) => p.code) as [string, ...string[]], { error: "v.choice" });

export const commonOrganizationFields = {
  nameZh: fields.text(200),
  nameEn: fields.text(200),
  address: fields.optionalText(300),
};

export const manufacturerProfileSchema = z.object({
  ...commonOrganizationFields,
  creditCode: creditCodeField(),
  province: provinceField(),
});

export const certificationBodyProfileSchema = z.object({
  ...commonOrganizationFields,
  province: provinceField(),
});

export function certificationBodyAdminSchema(categoryCodes: readonly string[]) {
  return z.object({
    ...commonOrganizationFields,
    province: provinceField(),
    approvalNumber: fields.text(60),
    cbCode: z
      .string({ error: "v.required" })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{2,10}$/, "v.cbCode"),
    scope: z.array(z.enum(categoryCodes as [string, ...string[]], { error: "v.choice" })).max(100),
  });
}

/** Translates a unique-constraint violation into the field it concerns. */
export function uniqueViolationField(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string };
  if (e?.code !== "23505") return null;
  if (e.constraint?.includes("credit_code")) return "creditCode";
  if (e.constraint?.includes("cnca_approval_number")) return "approvalNumber";
  if (e.constraint?.includes("cb_code")) return "cbCode";
  if (e.constraint?.includes("email")) return "adminEmail";
  return "form";
}
