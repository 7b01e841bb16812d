/**
 * Table `organizations`: manufacturers, certification bodies and the platform operator. Credit
 * code, approval number and body code are unique: a duplicate fails with the unique violation
 * (23505) naming its constraint.
 */
import { sql } from "kysely";
import type { NewOrganization } from "../schema.ts";
import type { Executor } from "./executor.ts";

/** Every organization with its number of members, manufacturers first, by Chinese name. */
export function organizationsWithMemberCounts(db: Executor) {
  return db
    .selectFrom("organizations")
    .leftJoin("memberships", "memberships.organization_id", "organizations.id")
    .select([
      "organizations.id",
      "organizations.kind",
      "organizations.name_zh",
      "organizations.name_en",
      "organizations.credit_code",
      "organizations.cnca_approval_number",
      "organizations.cb_code",
      "organizations.province",
      "organizations.accredited_categories",
      sql<number>`count(memberships.user_id)::int`.as("member_count"),
    ])
    .groupBy("organizations.id")
    .orderBy("organizations.kind")
    .orderBy("organizations.name_zh")
    .execute();
}

export async function countOrganizations(db: Executor): Promise<number> {
  const { count } = await db
    .selectFrom("organizations")
    .select(sql<number>`count(*)::int`.as("count"))
    .executeTakeFirstOrThrow();
  return count;
}

/** Adds an organization; returns its id and names. */
export function insertOrganization(db: Executor, organization: NewOrganization) {
  return db.insertInto("organizations").values(organization).returning(["id", "name_zh", "name_en"]).executeTakeFirstOrThrow();
}

/** The organization's row; throws when there is none. */
export function getOrganization(db: Executor, organizationId: string) {
  return db.selectFrom("organizations").selectAll().where("id", "=", organizationId).executeTakeFirstOrThrow();
}

/** The details an organization edits itself; the credit code only when given. */
export async function updateOrganizationProfile(
  db: Executor,
  organizationId: string,
  profile: { readonly nameZh: string; readonly nameEn: string; readonly address: string; readonly province: string; readonly creditCode?: string },
): Promise<void> {
  await db
    .updateTable("organizations")
    .set({
      name_zh: profile.nameZh,
      name_en: profile.nameEn,
      address: profile.address,
      province: profile.province,
      ...(profile.creditCode === undefined ? {} : { credit_code: profile.creditCode }),
    })
    .where("id", "=", organizationId)
    .execute();
}

/** What names one organization for good: a company by its credit code, a body by its code, the platform by its English name. */
export type OrganizationKey = { readonly creditCode: string } | { readonly cbCode: string } | { readonly platformNameEn: string };

/** The id of the organization with this key, or undefined. */
export async function organizationIdByKey(db: Executor, key: OrganizationKey): Promise<string | undefined> {
  let query = db.selectFrom("organizations").select("id");
  if ("creditCode" in key) query = query.where("credit_code", "=", key.creditCode);
  else if ("cbCode" in key) query = query.where("cb_code", "=", key.cbCode);
  else query = query.where("kind", "=", "platform").where("name_en", "=", key.platformNameEn);
  return (await query.executeTakeFirst())?.id;
}
