import type { DqrRating } from "../pcr/schema.ts";
import type { DataQuality, InventoryLine } from "./schema.ts";

/**
 * Data-quality rating after the EU PEF scheme: DQR = (TeR + GeR + TiR + P) / 4, where P
 * (precision) is read from the pedigree "reliability" score; completeness is reported but not in
 * the formula, as in PEF 3.0. Bands ≤1.5 excellent, ≤2 very good, ≤3 good, ≤4 fair, else poor.
 * Source: shared/REFERENCE.md §1, marked *verify* there — the caveat travels with every result.
 */
export const DQR_CAVEAT = {
  zh: "数据质量评级按欧盟 PEF 方法 DQR =（技术 + 地理 + 时间 + 可靠性）/ 4 计算，分级界限待核实（verify）",
  en: "Data-quality rating per the EU PEF scheme DQR = (TeR + GeR + TiR + P)/4 with reliability as P; band limits to be verified",
} as const;

/** Score given to lines without pedigree scores: unknown quality is treated as the worst. */
export const MISSING_SCORE = 5;

export function lineDqr(q: DataQuality | undefined): number {
  if (!q) return MISSING_SCORE;
  return (q.technological + q.geographical + q.temporal + q.reliability) / 4;
}

export function dqrRating(dqr: number): DqrRating {
  if (dqr <= 1.5) return "excellent";
  if (dqr <= 2) return "very_good";
  if (dqr <= 3) return "good";
  if (dqr <= 4) return "fair";
  return "poor";
}

/** Pedigree temporal score from the age of the data in years (REFERENCE.md §1). */
export function temporalScore(ageYears: number): 1 | 2 | 3 | 4 | 5 {
  if (ageYears < 3) return 1;
  if (ageYears < 6) return 2;
  if (ageYears < 10) return 3;
  if (ageYears < 15) return 4;
  return 5;
}

/**
 * Boundary recorded for a supplier's own figure (a supplier line's declared figure; electricity
 * with the supplier's factor): specific to that supplier, and verified by nobody.
 */
export const SUPPLIER_DECLARED_BOUNDARY = "supplier_specific";

/**
 * A figure a supplier states without a certificate: a supplier line's declared figure, or
 * electricity at the supplier's own factor. Such a line may be entered, but it is "supplier-declared,
 * unverified": never primary data, and the conformance report names it.
 */
export function isSupplierDeclared(line: InventoryLine): boolean {
  return (line.kind === "supplier_certificate" && line.declared !== undefined) || (line.kind === "electricity" && line.supply.type === "supplier");
}

/** The data type a line counts as in the primary-data share: what it says, except that an unverified supplier figure is secondary. */
export function countedDataType(line: InventoryLine): "primary" | "secondary" {
  return line.dataType === "primary" && !isSupplierDeclared(line) ? "primary" : "secondary";
}
