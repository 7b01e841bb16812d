/**
 * Table `credit_retirements`: the carbon credits a case rests its claim on, as serial ranges. An
 * exclusion constraint (`credit_retirements_no_overlap`) refuses a range that overlaps one used
 * by any case.
 */
import { sql, type Transaction } from "kysely";
import type { RetiredCredits } from "../../rules/labels/index.ts";
import type { DB } from "../schema.ts";
import type { Executor } from "./executor.ts";

/**
 * The case's retired credits, replaced as a whole. The exclusion constraint refuses a range that
 * overlaps one used by any case (a 23P01 on `credit_retirements_no_overlap`), however many servers
 * write at once. Takes a transaction: the advisory locks below last until it ends.
 */
export async function replaceCaseCredits(trx: Transaction<DB>, caseId: string, credits: readonly RetiredCredits[]): Promise<void> {
  await trx.deleteFrom("credit_retirements").where("case_id", "=", caseId).execute();
  if (credits.length === 0) return;
  // Two transactions inserting overlapping ranges into a GiST exclusion constraint can each wait for
  // the other's uncommitted row and deadlock, instead of one being refused. Serialising writers per
  // serial series (registry + prefix, locks taken in sorted order) turns that race into a plain wait,
  // after which the loser meets the committed range and gets the exclusion violation.
  const series = [...new Set(credits.map((c) => `${c.registry.trim().toUpperCase()}|${c.serialPrefix.trim()}`))].sort();
  for (const key of series) await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  await trx
    .insertInto("credit_retirements")
    .values(
      credits.map((c) => ({
        case_id: caseId,
        registry: c.registry.trim().toUpperCase(),
        programme: c.programme,
        serial_prefix: c.serialPrefix.trim(),
        serials: sql<string>`int8range(${c.first}::bigint, ${c.last + 1}::bigint)`,
        vintage: c.vintage,
        retired_on: c.retiredOn,
      })),
    )
    .execute();
}

/** A case's retired credits with inclusive first and last serials, by registry, prefix and first serial. */
export function creditsOfCase(db: Executor, caseId: string) {
  return db
    .selectFrom("credit_retirements")
    .select([
      "registry",
      "programme",
      "serial_prefix",
      sql<number>`lower(serials)`.as("first"),
      sql<number>`upper(serials) - 1`.as("last"),
      "vintage",
      "retired_on",
    ])
    .where("case_id", "=", caseId)
    .orderBy("registry")
    .orderBy("serial_prefix")
    .orderBy(sql`lower(serials)`)
    .execute();
}
