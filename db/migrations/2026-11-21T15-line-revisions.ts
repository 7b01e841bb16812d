/**
 * A revision number on every inventory line, raised by the database on each update.
 *
 * Line ids are never reused (new lines and copies get fresh UUIDs), so (id, revision) names one
 * content of a line for good. The calculator's input cache keys the line objects it builds — and
 * the canonical text the input hash needs — on that pair, so a recalculation after one edit
 * serialises one line instead of ten thousand. The trigger, not the application, raises the
 * number, so no update path can forget it, and two updates in one transaction still differ.
 * Typed against Kysely<any>: a migration is frozen in time and never imports application types.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("inventory_lines")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    create function inventory_lines_next_revision() returns trigger language plpgsql as $$
    begin
      new.revision := old.revision + 1;
      return new;
    end
    $$
  `.execute(db);
  await sql`
    create trigger inventory_lines_revision before update on inventory_lines
    for each row execute function inventory_lines_next_revision()
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger inventory_lines_revision on inventory_lines`.execute(db);
  await sql`drop function inventory_lines_next_revision()`.execute(db);
  await db.schema.alterTable("inventory_lines").dropColumn("revision").execute();
}
