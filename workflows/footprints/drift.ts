/**
 * The drift watch (docs/decisions/0018): when a factor dataset version is published, every valid
 * certificate whose stored result was calculated on an older version of the same dataset is
 * recalculated under the new one — its locked inventory, as the app reads it, with the header's
 * dataset version replaced — and the outcome is stored beside the certified result, which stays
 * as it is. A certificate whose footprint would move by more than its PCR's tolerance, or that
 * the new version cannot calculate at all, goes into its body's surveillance queue with the lines
 * that moved, and the holder and the body are told (in-app and by e-mail, once per certificate
 * and version).
 *
 * Re-running the watch for a version evaluates only the certificates not evaluated under it yet
 * (a run cut short, or one made before a certificate was issued): the first evaluation stands, like
 * the version it was made on.
 */
import type { Kysely } from "kysely";
import { fromNumeric, toNumeric } from "../../db/decimal.ts";
import {
  driftCountsOfVersion,
  insertDriftResultsOnce,
  validCertificatesOnDataset,
  type DriftCandidateRow,
} from "../../db/repositories/drift-results.ts";
import type { Executor } from "../../db/repositories/executor.ts";
import { lineNamesOf } from "../../db/repositories/inventory-lines.ts";
import { membersWithAnyRole } from "../../db/repositories/notifications.ts";
import type { DB } from "../../db/schema.ts";
import type { FootprintResult, LineResult } from "../../rules/calculator/result.ts";
import type { Inventory } from "../../rules/calculator/schema.ts";
import { RulesError } from "../../rules/errors.ts";
import { compareDatasetVersions, datasetContentHash, type FactorLibrary } from "../../rules/factors/index.ts";
import { formatPercent, roundToSignificant } from "../../rules/format.ts";
import type { Bilingual } from "../../rules/i18n.ts";
import type { Stage } from "../../rules/stages.ts";
import { writeNotifications } from "../cases/notifications.ts";
import { currentCalculator } from "./calculator.ts";
import { factorCO2e } from "./datasets.ts";
import { factorLibrary } from "./library.ts";

/** How far a certified footprint may move under a new dataset version before the body looks again. */
export const DEFAULT_DRIFT_TOLERANCE = 0.05;

/**
 * Tolerances of PCRs that state their own, by PCR code. A constant here rather than a field of the
 * PCR: a new member in a PCR's content would change the content hash every certificate on it
 * cites. No shipped PCR states one, so each takes the default.
 */
export const DRIFT_TOLERANCES: Readonly<Record<string, number>> = {};

export function driftToleranceOf(pcrCode: string, tolerances: Readonly<Record<string, number>> = DRIFT_TOLERANCES): number {
  return tolerances[pcrCode] ?? DEFAULT_DRIFT_TOLERANCE;
}

/**
 * The calculator input of a locked inventory, read as the app reads it for an application
 * (app/services/inventories.server.ts, `toCalculatorInput`); handed in by the app, which this
 * layer does not import.
 */
export type LockedInventoryInput = (db: Executor, inventory: { id: string; organizationId: string }) => Promise<Inventory>;

/** A factor a line used, with its CO2e per activity unit under the study's GWP set. */
export interface DriftFactor {
  readonly code: string;
  readonly value: number | null;
  readonly unit: string;
}

/** One line whose contribution moved: per declared unit, certified and recalculated. */
export interface DriftLine {
  readonly productId: string;
  readonly lineId: string;
  readonly name: string | null;
  readonly stage: Stage;
  /** kg CO2e per declared unit in the certified result; null when the line is not in it. */
  readonly storedKgCO2e: number | null;
  readonly recalculatedKgCO2e: number | null;
  readonly changeKgCO2e: number;
  /** The line's change as a share of the certified total. */
  readonly shareOfTotal: number | null;
  readonly factor: { readonly old: DriftFactor | null; readonly new: DriftFactor | null };
}

/** Lines kept in full per certificate; the rest are counted. */
export const DRIFT_LINES_KEPT = 50;

export interface DriftExplanation {
  /** The lines that moved, the largest change first (at most DRIFT_LINES_KEPT). */
  readonly lines: readonly DriftLine[];
  /** Moved lines beyond those kept. */
  readonly moreLines: number;
  readonly unchangedLines: number;
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string };
}

export interface DriftSummary {
  readonly dataset: { readonly id: string; readonly version: string; readonly sha256: string };
  /** Certificates on an older version of the dataset evaluated by this run. */
  readonly evaluated: number;
  /** Not on an older version, or evaluated by another run at the same time (the first evaluation stands). */
  readonly skipped: number;
  readonly flagged: number;
  /** Of the flagged: the new version cannot calculate the inventory. */
  readonly failed: number;
  readonly ms: number;
}

export interface DriftWatchOptions {
  readonly dataset: { readonly id: string; readonly version: string };
  readonly inputOf: LockedInventoryInput;
  readonly now?: Date;
  readonly tolerances?: Readonly<Record<string, number>>;
  /** Certificates read and written per transaction. */
  readonly batchSize?: number;
}

const MOVED = 1e-9;

function moved(a: number, b: number): boolean {
  return Math.abs(a - b) > MOVED * Math.max(Math.abs(a), Math.abs(b));
}

/** The lines that moved between the certified result and the recalculated one, by product and line. */
export function explainDrift(
  stored: FootprintResult,
  recalculated: FootprintResult | null,
  factors: { library: FactorLibrary; names: ReadonlyMap<string, string> },
  to: { id: string; version: string },
): DriftExplanation {
  const from = { id: stored.stamp.factorDataset.id, version: stored.stamp.factorDataset.version };
  const gwpSet = stored.stamp.gwpSet;
  const keyOf = (l: LineResult) => `${l.productId}\u0000${l.lineId}`;
  const before = new Map(stored.byLine.map((l) => [keyOf(l), l]));
  const after = new Map((recalculated?.byLine ?? []).map((l) => [keyOf(l), l]));
  const factorIn = (dataset: { id: string; version: string }, code: string | undefined): DriftFactor | null => {
    if (!code) return null;
    const f = factors.library.has(dataset.id, dataset.version) ? factors.library.index(dataset.id, dataset.version).get(code) : undefined;
    return { code, value: f ? factorCO2e(f, gwpSet) : null, unit: f?.activityUnit ?? "" };
  };
  const lines: DriftLine[] = [];
  let unchangedLines = 0;
  // Without a recalculated result there is nothing to compare line by line: the error says why.
  if (recalculated) {
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const old = before.get(key);
      const now = after.get(key);
      const a = old?.kgCO2e ?? 0;
      const b = now?.kgCO2e ?? 0;
      const oldCode = old?.factor && !old.factor.inline ? old.factor.code : undefined;
      const newCode = now?.factor && !now.factor.inline ? now.factor.code : undefined;
      if (old && now && !moved(a, b) && oldCode === newCode) {
        unchangedLines++;
        continue;
      }
      const line = (now ?? old)!;
      lines.push({
        productId: line.productId,
        lineId: line.lineId,
        name: factors.names.get(line.lineId) ?? null,
        stage: line.stage,
        storedKgCO2e: old ? a : null,
        recalculatedKgCO2e: now ? b : null,
        changeKgCO2e: b - a,
        shareOfTotal: stored.total !== 0 ? (b - a) / stored.total : null,
        factor: { old: factorIn(from, oldCode), new: factorIn(to, newCode) },
      });
    }
  }
  lines.sort((x, y) => Math.abs(y.changeKgCO2e) - Math.abs(x.changeKgCO2e) || x.lineId.localeCompare(y.lineId));
  return { lines: lines.slice(0, DRIFT_LINES_KEPT), moreLines: Math.max(0, lines.length - DRIFT_LINES_KEPT), unchangedLines, from, to };
}

interface Evaluation {
  readonly row: DriftCandidateRow;
  readonly recalculated: number | null;
  readonly relative: number | null;
  readonly tolerance: number;
  readonly beyond: boolean;
  readonly explanation: DriftExplanation;
  readonly error: Bilingual | null;
}

/**
 * Recalculates every valid certificate on an older version of the published version's dataset and
 * stores, flags and notifies as described above. `dataset` must be published (or built in).
 */
export async function runDriftWatch(db: Kysely<DB>, options: DriftWatchOptions): Promise<DriftSummary> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const library = await factorLibrary(db);
  const target = library.get(options.dataset.id, options.dataset.version);
  const to = { id: target.id, version: target.version };
  const sha256 = datasetContentHash(target);
  const calculator = currentCalculator();
  const batchSize = options.batchSize ?? 100;
  let evaluated = 0;
  let skipped = 0;
  let flagged = 0;
  let failed = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await validCertificatesOnDataset(db, to.id, to.version, { afterId, limit: batchSize });
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.id;
    const evaluations: Evaluation[] = [];
    for (const row of page) {
      const stored = row.result as FootprintResult;
      if (compareDatasetVersions(stored.stamp.factorDataset.version, to.version) >= 0) {
        skipped++;
        continue;
      }
      evaluations.push(await evaluate(db, row, { library, to, calculator, inputOf: options.inputOf, tolerances: options.tolerances }));
    }
    const written = new Set(
      await db.transaction().execute(async (trx) => {
        const ids = await insertDriftResultsOnce(
          trx,
          evaluations.map((e) => ({
            certificate_id: e.row.id,
            footprint_result_id: e.row.result_id,
            cb_organization_id: e.row.cb_organization_id,
            holder_organization_id: e.row.applicant_organization_id,
            dataset_id: to.id,
            dataset_version: to.version,
            dataset_sha256: sha256,
            stored_total: e.row.stored_total,
            recalculated_total: e.recalculated === null ? null : toNumeric(e.recalculated),
            relative_change: e.relative === null ? null : toNumeric(e.relative),
            tolerance: toNumeric(e.tolerance),
            beyond_tolerance: e.beyond,
            explanation: JSON.stringify(e.explanation),
            error: e.error ? JSON.stringify(e.error) : null,
            calculator_version: calculator.version,
            computed_at: now,
          })),
        );
        const newly = new Set(ids);
        for (const e of evaluations) if (e.beyond && newly.has(e.row.id)) await notifyDrift(trx, e, to, now);
        return ids;
      }),
    );
    for (const e of evaluations) {
      if (!written.has(e.row.id)) {
        skipped++;
        continue;
      }
      evaluated++;
      if (e.beyond) flagged++;
      if (e.error) failed++;
    }
  }
  return { dataset: { ...to, sha256 }, evaluated, skipped, flagged, failed, ms: Math.round(performance.now() - started) };
}

async function evaluate(
  db: Kysely<DB>,
  row: DriftCandidateRow,
  ctx: {
    library: FactorLibrary;
    to: { id: string; version: string };
    calculator: ReturnType<typeof currentCalculator>;
    inputOf: LockedInventoryInput;
    tolerances?: Readonly<Record<string, number>>;
  },
): Promise<Evaluation> {
  const stored = row.result as FootprintResult;
  const storedTotal = fromNumeric(row.stored_total);
  const tolerance = driftToleranceOf(row.pcr_code, ctx.tolerances);
  let recalculated: FootprintResult | null = null;
  let error: Bilingual | null = null;
  try {
    const input = await ctx.inputOf(db, { id: row.inventory_id, organizationId: row.applicant_organization_id });
    // The certification path's stage policy: what could not be certified is not a figure to compare with.
    recalculated = ctx.calculator.calculate({ ...input, factorDataset: ctx.to }, { factors: ctx.library, stagePolicy: "enforce" });
    if (!Number.isFinite(recalculated.total)) throw new RangeError("not finite");
  } catch (e) {
    if (e instanceof RulesError) error = e.detail;
    else if (e instanceof RangeError)
      error = { zh: "按新版本计算的碳足迹超出可计算的数值范围", en: "the footprint under the new version is outside the range numbers can hold" };
    else throw e;
    recalculated = null;
  }
  const lineIds = [...new Set([...stored.byLine, ...(recalculated?.byLine ?? [])].map((l) => l.lineId))];
  const names = new Map(
    (
      await lineNamesOf(
        db,
        row.applicant_organization_id,
        lineIds.filter((id) => /^[0-9a-f-]{36}$/.test(id)),
      )
    ).map((l) => [l.id, l.name]),
  );
  const explanation = explainDrift(stored, recalculated, { library: ctx.library, names }, ctx.to);
  const total = recalculated?.total ?? null;
  const relative = total === null || storedTotal === 0 ? null : (total - storedTotal) / storedTotal;
  // A footprint the new version cannot calculate needs the body's eyes as much as one that moved.
  const beyond = total === null || (relative === null ? total !== storedTotal : Math.abs(relative) > tolerance);
  return { row, recalculated: total, relative, tolerance, beyond, explanation, error };
}

async function notifyDrift(
  trx: Parameters<typeof writeNotifications>[0],
  e: Evaluation,
  to: { id: string; version: string },
  now: Date,
): Promise<void> {
  const { row } = e;
  const version = `${to.id} ${to.version}`;
  const per = `kgCO2e / ${row.declared_unit_quantity} ${row.declared_unit}`;
  const stored = roundToSignificant(fromNumeric(row.stored_total), 4);
  const lead = e.explanation.lines[0];
  const leadName = lead ? (lead.name ?? lead.lineId) : null;
  const what =
    e.recalculated === null
      ? {
          zh: `按新版本无法重新计算：${e.error?.zh ?? ""}`,
          en: `it cannot be recalculated on the new version: ${e.error?.en ?? ""}`,
        }
      : {
          zh: `按新版本重新计算为 ${roundToSignificant(e.recalculated, 4)} ${per}（认证值 ${stored}，变化 ${signedPercent(e.relative)}%，容差 ${formatPercent(e.tolerance, 1)}%）${leadName ? `，变化最大的清单行：${leadName}` : ""}`,
          en: `recalculated on the new version it is ${roundToSignificant(e.recalculated, 4)} ${per} (certified ${stored}, change ${signedPercent(e.relative)} %, tolerance ${formatPercent(e.tolerance, 1)} %)${leadName ? `; the line that moved most: ${leadName}` : ""}`,
        };
  const product = { zh: row.product_name_zh, en: row.product_name_en };
  const base = { topic: "footprint_drift", caseId: row.case_id, at: now, now };
  const holder = await membersWithAnyRole(trx, row.applicant_organization_id, ["manufacturer_admin", "manufacturer_member"]);
  await writeNotifications(trx, holder, {
    ...base,
    organizationId: row.applicant_organization_id,
    message: {
      zh: `排放因子库 ${version} 已发布：贵企业证书 ${row.number}（${product.zh}）的碳足迹${what.zh}。认证机构将在获证后监督中复核。`,
      en: `Emission-factor dataset ${version} is published: for your certificate ${row.number} (${product.en}) ${what.en}. The certification body will review it in surveillance.`,
    },
    sourceKey: `drift:${row.id}:${to.id}@${to.version}:holder`,
  });
  const body = await membersWithAnyRole(trx, row.cb_organization_id, ["cb_admin"]);
  await writeNotifications(trx, body, {
    ...base,
    organizationId: row.cb_organization_id,
    message: {
      zh: `排放因子库 ${version} 已发布：证书 ${row.number}（${product.zh}）的碳足迹${what.zh}，已列入监督队列。`,
      en: `Emission-factor dataset ${version} is published: for certificate ${row.number} (${product.en}) ${what.en}; it is in the surveillance queue.`,
    },
    sourceKey: `drift:${row.id}:${to.id}@${to.version}:body`,
  });
}

function signedPercent(relative: number | null): string {
  if (relative === null) return "—";
  const text = formatPercent(relative, 2);
  return relative > 0 ? `+${text}` : text;
}

/** How many certificates a version was evaluated for, flagged, and could not be recalculated. */
export async function driftCounts(db: Executor, dataset: { id: string; version: string }) {
  return driftCountsOfVersion(db, dataset.id, dataset.version);
}
