/**
 * Two inventories of one product side by side: each one's footprint per declared unit, the
 * difference in total and by stage (absolute and relative to the first), and which lines were
 * added, removed or changed.
 *
 * Lines are paired by lineage first: a copied line remembers its first ancestor
 * (`origin_line_id`), so a renamed line is still "changed", not "removed and added". Lines without
 * a shared ancestor (imported or entered anew) are paired by stage, kind and name.
 */
import type { Kysely } from "kysely";
import { fromNumeric } from "../../db/decimal.ts";
import type { DB } from "../../db/schema.ts";
import type { FootprintResult } from "../../rules/calculator/index.ts";
import { RulesError } from "../../rules/errors.ts";
import { formatPercent, roundToSignificant } from "../../rules/format.ts";
import { STAGES, type Stage } from "../../rules/stages.ts";
import { calculateStoredInventory, inventoryLines, toCalculatorInput, type InventoryRow, type LineRow } from "./inventories.server.ts";

export type LineField = "stage" | "kind" | "name" | "amount" | "unit" | "factor" | "dataType" | "dataQuality" | "note" | "details";

export interface LineChange {
  field: LineField;
  before: string;
  after: string;
}

export interface LineDiff {
  added: LineRow[];
  removed: LineRow[];
  changed: { before: LineRow; after: LineRow; changes: LineChange[] }[];
  unchanged: number;
}

/** JSON with object keys sorted, so equal values always read the same. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function lineChanges(a: LineRow, b: LineRow): LineChange[] {
  const changes: LineChange[] = [];
  const field = (name: LineField, before: string, after: string, same = before === after) => {
    if (!same) changes.push({ field: name, before, after });
  };
  field("stage", a.stage, b.stage);
  field("kind", a.kind, b.kind);
  field("name", a.name, b.name);
  const amountA = a.amount === null ? null : fromNumeric(a.amount);
  const amountB = b.amount === null ? null : fromNumeric(b.amount);
  field("amount", a.amount ?? "", b.amount ?? "", amountA === amountB);
  field("unit", a.unit ?? "", b.unit ?? "");
  field("factor", a.factor_code ?? "", b.factor_code ?? "");
  field("dataType", a.data_type, b.data_type);
  field("dataQuality", a.data_quality ? stable(a.data_quality) : "", b.data_quality ? stable(b.data_quality) : "");
  field("note", a.note, b.note);
  field("details", stable(a.details), stable(b.details));
  if (a.excluded !== b.excluded)
    changes.push({ field: "details", before: a.excluded ? "excluded" : "included", after: b.excluded ? "excluded" : "included" });
  return changes;
}

export function compareLines(before: readonly LineRow[], after: readonly LineRow[]): LineDiff {
  const lineage = (l: LineRow) => l.origin_line_id ?? l.id;
  const unmatchedBefore = new Set(before);
  const pairs: [LineRow, LineRow][] = [];
  const byLineage = new Map(before.map((l) => [lineage(l), l]));
  const rest: LineRow[] = [];
  for (const b of after) {
    const a = byLineage.get(lineage(b));
    if (a && unmatchedBefore.has(a)) {
      pairs.push([a, b]);
      unmatchedBefore.delete(a);
    } else rest.push(b);
  }
  const added: LineRow[] = [];
  const key = (l: LineRow) => `${l.stage}\u0000${l.kind}\u0000${l.name.trim().toLowerCase()}`;
  for (const b of rest) {
    const a = [...unmatchedBefore].find((x) => key(x) === key(b));
    if (a) {
      pairs.push([a, b]);
      unmatchedBefore.delete(a);
    } else added.push(b);
  }
  const changed: LineDiff["changed"] = [];
  let unchanged = 0;
  for (const [a, b] of pairs) {
    const changes = lineChanges(a, b);
    if (changes.length > 0) changed.push({ before: a, after: b, changes });
    else unchanged += 1;
  }
  const order = (l: LineRow) => STAGES.indexOf(l.stage as Stage) * 1e6 + l.position;
  return {
    added: added.sort((x, y) => order(x) - order(y)),
    removed: [...unmatchedBefore].sort((x, y) => order(x) - order(y)),
    changed: changed.sort((x, y) => order(x.after) - order(y.after)),
    unchanged,
  };
}

export interface Difference {
  before: number;
  after: number;
  delta: number;
  /** Relative to `before`, in %; null when `before` is zero. */
  percent: number | null;
  display: { before: string; after: string; delta: string; percent: string | null };
}

function difference(before: number, after: number): Difference {
  const delta = after - before;
  const percent = before === 0 ? null : (delta / Math.abs(before)) * 100;
  const signed = (text: string, v: number) => (v > 0 ? `+${text}` : text);
  return {
    before,
    after,
    delta,
    percent,
    display: {
      before: roundToSignificant(before, 4),
      after: roundToSignificant(after, 4),
      delta: signed(roundToSignificant(delta, 4), delta),
      percent: percent === null ? null : signed(formatPercent(percent / 100, 1), percent),
    },
  };
}

export interface Side {
  inventory: InventoryRow;
  lines: LineRow[];
  result: FootprintResult | null;
  error: { zh: string; en: string } | null;
}

export async function loadSide(db: Kysely<DB>, organizationId: string, inventory: InventoryRow): Promise<Side> {
  const lines = await inventoryLines(db, inventory.id);
  if (lines.length === 0) return { inventory, lines, result: null, error: null };
  try {
    return { inventory, lines, result: calculateStoredInventory(await toCalculatorInput(db, organizationId, inventory)), error: null };
  } catch (e) {
    if (!(e instanceof RulesError)) throw e;
    return { inventory, lines, result: null, error: e.detail };
  }
}

export interface FootprintComparison {
  /** Both results are per the same declared unit, so their difference means something. */
  comparable: boolean;
  total: Difference | null;
  byStage: ({ stage: Stage } & Difference)[];
}

/** The footprint difference B − A, in total and per stage (a stage without emissions on one side counts as 0). */
export function compareFootprints(a: FootprintResult | null, b: FootprintResult | null): FootprintComparison {
  if (!a || !b) return { comparable: false, total: null, byStage: [] };
  const comparable =
    a.declaredUnit.quantity === b.declaredUnit.quantity && a.declaredUnit.unit === b.declaredUnit.unit && a.stamp.gwpSet === b.stamp.gwpSet;
  const stageValue = (r: FootprintResult, s: Stage) => r.byStage.find((x) => x.stage === s)?.kgCO2e ?? 0;
  // Stages with emissions on either side; a stage that is zero in both has nothing to compare.
  const stages = STAGES.filter((s) => stageValue(a, s) !== 0 || stageValue(b, s) !== 0);
  return {
    comparable,
    total: difference(a.total, b.total),
    byStage: stages.map((stage) => ({ stage, ...difference(stageValue(a, stage), stageValue(b, stage)) })),
  };
}
