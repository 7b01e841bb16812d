import type { FootprintResult, LineResult } from "../calculator/result.ts";
import type { Inventory, InventoryLine } from "../calculator/schema.ts";
import type { Bilingual } from "../i18n.ts";
import type { Pcr, PcrSection } from "../pcr/schema.ts";
import type { RemedyKey } from "./remedies.ts";

export type Severity = "major" | "minor";

export interface Finding {
  /** Stable id of the check (plus the subject, e.g. a stage or a line). */
  readonly id: string;
  readonly check: string;
  readonly clause: { readonly pcr: string; readonly section: string };
  readonly severity: Severity;
  readonly passed: boolean;
  readonly message: Bilingual;
  /** What to do; null when the check passed. */
  readonly action: Bilingual | null;
  readonly lineIds?: readonly string[];
  readonly values?: Readonly<Record<string, string | number>>;
}

export interface ConformanceReport {
  readonly pcr: string;
  readonly passed: boolean;
  readonly findings: readonly Finding[];
  readonly summary: { readonly checks: number; readonly failed: number; readonly major: number; readonly minor: number };
}

/** What every check reads: the PCR, the inventory, its result, and views of them computed once. */
export interface ConformanceContext {
  readonly pcr: Pcr;
  /** `code@version` of the PCR, as findings cite it. */
  readonly key: string;
  readonly inventory: Inventory;
  readonly result: FootprintResult;
  readonly referenceYear: number;
  /** Region of production. */
  readonly location: string;
  /** Results of the lines that are not excluded. */
  readonly included: readonly LineResult[];
  /** Included electricity lines. */
  readonly electricity: readonly LineResult[];
  /** Included lines claiming green certificates. */
  readonly greenCertificateLines: readonly LineResult[];
  /** The inventory line a line result comes from. */
  readonly sourceOf: (line: LineResult) => InventoryLine | undefined;
}

/** One judgement of a check: about the whole inventory, or about one subject (a stage, a line). */
export interface CheckOutcome {
  readonly subject?: string;
  readonly passed: boolean;
  readonly message: Bilingual;
  /** When this failure needs another remedy than the check's own. */
  readonly remedyKey?: RemedyKey;
  readonly lineIds?: readonly string[];
  readonly values?: Readonly<Record<string, string | number>>;
}

/** A named check of a PCR clause. */
export interface ConformanceCheck {
  readonly id: string;
  readonly clause: PcrSection;
  readonly severity: Severity;
  /** What to do when it fails (see remedies.ts). */
  readonly remedyKey: RemedyKey;
  /**
   * Checks of one group judge the same subjects, one outcome each in the same order (e.g. every
   * green-certificate line); the report lists their findings subject by subject.
   */
  readonly group?: string;
  /** Its outcomes; none when the clause does not apply to the inventory. */
  readonly run: (ctx: ConformanceContext) => readonly CheckOutcome[];
}
