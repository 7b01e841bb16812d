/**
 * Organization details: one schema per kind, shared by the platform admin's onboarding form and
 * each organization's own profile page.
 */
import { sql, type Kysely } from "kysely";
import { z } from "zod";
import type { DB, Role } from "../../db/schema.ts";
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

// ---- off-boarding: deactivate, reactivate, remove a member, end their sessions ----

export type MemberChange = "deactivate" | "reactivate" | "remove" | "end-sessions";
export type MemberChangeOutcome =
  /** What was done; "remove" of someone the records name becomes "deactivated". */
  | { kind: "deactivated" | "reactivated" | "removed" | "sessions-ended" }
  /** Not a member of this organization: answered like a member who does not exist. */
  | { kind: "not-found" }
  | { kind: "self" }
  | { kind: "last-admin" };

/**
 * Changes one member of `organizationId` on behalf of its admin `actorId`. The organization's
 * memberships are locked for the transaction, so two admins cannot deactivate each other at once
 * and leave it without an admin. Sessions are rows (app/utils/session.server.ts): deleting them
 * signs the person out of every device on their next request.
 *
 * A user row stays as long as anything names it (case events, decisions, inventories, files,
 * invitations they sent): "remove" then deactivates instead, so the records keep showing who did
 * what. A member the records never name (e.g. invited by mistake) is deleted for good.
 */
export async function changeMember(
  db: Kysely<DB>,
  change: { organizationId: string; actorId: string; userId: string; action: MemberChange; adminRole: Role },
): Promise<MemberChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    const members = await trx
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select(["memberships.user_id", "memberships.roles", "users.deactivated_at"])
      .where("memberships.organization_id", "=", change.organizationId)
      .forUpdate(["memberships"])
      .execute();
    const target = members.find((m) => m.user_id === change.userId);
    if (!target) return { kind: "not-found" } as const;
    const endSessions = () => trx.deleteFrom("sessions").where("user_id", "=", target.user_id).execute();

    if (change.action === "end-sessions") {
      await endSessions();
      return { kind: "sessions-ended" } as const;
    }
    if (change.action === "reactivate") {
      await trx.updateTable("users").set({ deactivated_at: null }).where("id", "=", target.user_id).execute();
      return { kind: "reactivated" } as const;
    }
    // Deactivate or remove: never oneself (the page would lock its own admin out), never the last
    // active admin (nobody could manage the organization any more).
    if (target.user_id === change.actorId) return { kind: "self" } as const;
    const otherActiveAdmins = members.filter(
      (m) => m.user_id !== target.user_id && !m.deactivated_at && m.roles.includes(change.adminRole),
    );
    if (target.roles.includes(change.adminRole) && !target.deactivated_at && otherActiveAdmins.length === 0) {
      return { kind: "last-admin" } as const;
    }

    if (change.action === "remove") {
      await sql`savepoint remove_member`.execute(trx);
      try {
        // Cascades to the membership, sessions and notifications; refused (23503) while any record names the user.
        await trx.deleteFrom("users").where("id", "=", target.user_id).execute();
        await sql`release savepoint remove_member`.execute(trx);
        return { kind: "removed" } as const;
      } catch (error) {
        if ((error as { code?: string }).code !== "23503") throw error;
        await sql`rollback to savepoint remove_member`.execute(trx);
      }
    }
    if (!target.deactivated_at) {
      await trx.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", target.user_id).execute();
    }
    await endSessions();
    return { kind: "deactivated" } as const;
  });
}
