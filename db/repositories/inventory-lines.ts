/**
 * Table `inventory_lines`: the lines of an inventory, in `position` order. A line is written from
 * a `NewLine` (columns plus the kind's `details`); reading one back as a calculator line is the
 * app's (`parseStoredLine`). Callers lock the inventory (inventories.ts `lockInventory`) before
 * they write its lines.
 */
import { sql, type Insertable, type Transaction } from "kysely";
import type { DataQuality, LineKind } from "../../rules/calculator/schema.ts";
import type { Stage } from "../../rules/stages.ts";
import type { DB, InventoryLinesTable, StoredLineDetails } from "../schema.ts";
import type { Executor } from "./executor.ts";

/** A line as it is written: built by `storedLineOf` from a calculator line the rules schema accepted. */
export interface NewLine {
  stage: Stage;
  kind: LineKind;
  name: string;
  amount: string | null;
  unit: string | null;
  factorCode: string | null;
  dataType: "primary" | "secondary";
  dataQuality: DataQuality | null;
  excluded: boolean;
  details: StoredLineDetails;
  note: string;
}

function lineValues(inventoryId: string, position: number, line: NewLine) {
  return {
    inventory_id: inventoryId,
    position,
    stage: line.stage,
    kind: line.kind,
    name: line.name,
    amount: line.amount,
    unit: line.unit,
    factor_code: line.factorCode,
    data_type: line.dataType,
    data_quality: line.dataQuality ? JSON.stringify(line.dataQuality) : null,
    excluded: line.excluded,
    details: JSON.stringify(line.details),
    note: line.note,
  };
}

/** Every line of the inventory, in order. */
export function linesOf(db: Executor, inventoryId: string) {
  return db.selectFrom("inventory_lines").selectAll().where("inventory_id", "=", inventoryId).orderBy("position").execute();
}

export async function countLines(db: Executor, inventoryId: string): Promise<number> {
  const { n } = await db
    .selectFrom("inventory_lines")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("inventory_id", "=", inventoryId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The ids of the inventory's lines. */
export async function lineIdsOf(db: Executor, inventoryId: string): Promise<string[]> {
  return (await db.selectFrom("inventory_lines").select("id").where("inventory_id", "=", inventoryId).execute()).map((l) => l.id);
}

/** Whether the line is one of the inventory's. */
export async function isLineOf(db: Executor, inventoryId: string, lineId: string): Promise<boolean> {
  const line = await db
    .selectFrom("inventory_lines")
    .select("id")
    .where("id", "=", lineId)
    .where("inventory_id", "=", inventoryId)
    .executeTakeFirst();
  return Boolean(line);
}

/** The names of those of the lines that belong to inventories of the organization (others are left out). */
export async function lineNamesOf(db: Executor, organizationId: string, lineIds: readonly string[]): Promise<{ id: string; name: string }[]> {
  const names: { id: string; name: string }[] = [];
  // In slices: one statement may bind at most 65 535 parameters.
  for (let i = 0; i < lineIds.length; i += 5000) {
    names.push(
      ...(await db
        .selectFrom("inventory_lines")
        .innerJoin("inventories", "inventories.id", "inventory_lines.inventory_id")
        .select(["inventory_lines.id", "inventory_lines.name"])
        .where("inventories.organization_id", "=", organizationId)
        .where("inventory_lines.id", "in", lineIds.slice(i, i + 5000))
        .execute()),
    );
  }
  return names;
}

/** Deletes every line of the inventory and writes `lines` in their place, positions 0, 1, … */
export async function replaceAllLines(trx: Transaction<DB>, inventoryId: string, lines: readonly NewLine[]): Promise<void> {
  await trx.deleteFrom("inventory_lines").where("inventory_id", "=", inventoryId).execute();
  // One array per column and `unnest`, 5 000 rows a statement: 12 parameters instead of 13 per
  // row. For a 10 000-line workbook this takes ~40 % less CPU in the embedded database than
  // multi-row VALUES (bench/import), and the same on PostgreSQL 15.
  for (let i = 0; i < lines.length; i += 5000) {
    const chunk = lines.slice(i, i + 5000);
    const column = <T>(pick: (line: NewLine, index: number) => T) => chunk.map((line, j) => pick(line, i + j));
    await sql`
      insert into inventory_lines (inventory_id, position, stage, kind, name, amount, unit, factor_code, data_type, data_quality, excluded, details, note)
      select ${inventoryId}::uuid, t.position, t.stage, t.kind, t.name, t.amount, t.unit, t.factor_code, t.data_type, t.data_quality, t.excluded, t.details, t.note
      from unnest(
        ${column((_, position) => position)}::int[], ${column((l) => l.stage)}::text[], ${column((l) => l.kind)}::text[],
        ${column((l) => l.name)}::text[], ${column((l) => l.amount)}::numeric[], ${column((l) => l.unit)}::text[],
        ${column((l) => l.factorCode)}::text[], ${column((l) => l.dataType)}::text[],
        ${column((l) => (l.dataQuality ? JSON.stringify(l.dataQuality) : null))}::jsonb[], ${column((l) => l.excluded)}::boolean[],
        ${column((l) => JSON.stringify(l.details))}::jsonb[], ${column((l) => l.note)}::text[]
      ) as t(position, stage, kind, name, amount, unit, factor_code, data_type, data_quality, excluded, details, note)`.execute(trx);
  }
}

/** Appends a line after the inventory's last one. */
export async function appendLine(db: Executor, inventoryId: string, line: NewLine): Promise<void> {
  const { next } = await db
    .selectFrom("inventory_lines")
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as("next"))
    .where("inventory_id", "=", inventoryId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("inventory_lines")
    .values(lineValues(inventoryId, next, line))
    .execute();
}

/** Replaces a line's content in place (same id and position); false when the inventory has no such line. */
export async function rewriteLine(db: Executor, inventoryId: string, lineId: string, line: NewLine): Promise<boolean> {
  const { inventory_id: _i, position: _p, ...values } = lineValues(inventoryId, 0, line);
  const updated = await db
    .updateTable("inventory_lines")
    .set(values)
    .where("id", "=", lineId)
    .where("inventory_id", "=", inventoryId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Deletes a line of the inventory; false when it has no such line. */
export async function deleteLineOf(db: Executor, inventoryId: string, lineId: string): Promise<boolean> {
  const removed = await db.deleteFrom("inventory_lines").where("id", "=", lineId).where("inventory_id", "=", inventoryId).executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/**
 * Copies the lines `oldIds` into the inventory `toInventoryId` under the ids `newIds` (same
 * positions), each remembering the first line it descends from (`origin_line_id`). The id map
 * travels as two parallel arrays; the rows are copied inside the database.
 */
export async function copyLines(trx: Transaction<DB>, toInventoryId: string, oldIds: readonly string[], newIds: readonly string[]): Promise<void> {
  await sql`
    insert into inventory_lines (id, origin_line_id, inventory_id, position, stage, kind, name, amount, unit, factor_code, data_type, data_quality, excluded, details, note)
    select m.new_id, coalesce(l.origin_line_id, l.id), ${toInventoryId}, l.position, l.stage, l.kind, l.name, l.amount, l.unit, l.factor_code, l.data_type, l.data_quality, l.excluded, l.details, l.note
    from inventory_lines l
    join unnest(${oldIds}::uuid[], ${newIds}::uuid[]) as m(old_id, new_id) on m.old_id = l.id`.execute(trx);
}

/** Writes rows as they are (the demo seed's example lines, which are written without the line form). */
export async function insertLineRows(db: Executor, rows: readonly Insertable<InventoryLinesTable>[]): Promise<void> {
  await db
    .insertInto("inventory_lines")
    .values([...rows])
    .execute();
}
