/**
 * Organization details, one schema per kind, shared by the platform admin's onboarding form and
 * each organization's own profile page, and the member invitation: validated in the browser
 * (Conform) and by the actions. What only the database can say (a credit code or e-mail already
 * taken) the actions add.
 */
import { z } from "zod";
import type { Role } from "../../db/schema.ts";
import { creditCodeProblem } from "../../rules/credit-code.ts";
import { fields } from "./forms.ts";
import { PROVINCES } from "./provinces.ts";

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

const firstAdminFields = { adminName: fields.text(100), adminEmail: fields.email() };

/**
 * The platform admin's onboarding form: the organization's kind decides its fields, then its first
 * admin. Accreditation scope is chosen from the categories the page offers.
 */
export function onboardingSchema(categoryCodes: readonly string[]) {
  return z.discriminatedUnion(
    "kind",
    [
      manufacturerProfileSchema.extend({ kind: z.literal("manufacturer"), ...firstAdminFields }),
      certificationBodyAdminSchema(categoryCodes).extend({ kind: z.literal("certification_body"), ...firstAdminFields }),
    ],
    { error: "v.choice" },
  );
}

/** Inviting a member: address, name and at least one of the roles the organization's kind has. */
export function invitationSchema(assignableRoles: readonly Role[]) {
  return z.object({
    email: fields.email(),
    name: fields.text(100),
    roles: z.array(z.enum(assignableRoles as [Role, ...Role[]], { error: "v.choice" })).min(1, "v.rolesRequired"),
  });
}
