import type { FootprintResult } from "../calculator/result.ts";
import type { Inventory } from "../calculator/schema.ts";
import { PCR_SECTIONS, type Pcr } from "../pcr/schema.ts";
import { CONFORMANCE_CHECKS } from "./checks/index.ts";
import { conformanceContext } from "./context.ts";
import { remedyText } from "./remedies.ts";
import type { CheckOutcome, ConformanceCheck, ConformanceContext, ConformanceReport, Finding } from "./types.ts";

/**
 * Conformance of an inventory and its result with the PCR version it claims. Every check is
 * reported, passed or failed, so the review screen can show the whole list; each finding cites
 * the PCR clause and, when failed, what the applicant has to do.
 */

export type { CheckOutcome, ConformanceCheck, ConformanceContext, ConformanceReport, Finding, Severity } from "./types.ts";
export { CONFORMANCE_CHECKS } from "./checks/index.ts";
export { conformanceContext } from "./context.ts";
export { REMEDY_KEYS, remedyText, type RemedyKey } from "./remedies.ts";

/** Findings list at most this many line ids. */
const MAX_LISTED = 50;

export function checkConformance(pcr: Pcr, inventory: Inventory, result: FootprintResult): ConformanceReport {
  const ctx = conformanceContext(pcr, inventory, result);
  const findings = runChecks(CONFORMANCE_CHECKS, ctx);
  const failed = findings.filter((f) => !f.passed);
  return {
    pcr: ctx.key,
    passed: failed.length === 0,
    findings,
    summary: {
      checks: findings.length,
      failed: failed.length,
      major: failed.filter((f) => f.severity === "major").length,
      minor: failed.filter((f) => f.severity === "minor").length,
    },
  };
}

/** Findings of the checks in table order; consecutive checks of one group interleave subject by subject. */
export function runChecks(checks: readonly ConformanceCheck[], ctx: ConformanceContext): Finding[] {
  const findings: Finding[] = [];
  for (let c = 0; c < checks.length;) {
    const group = sameGroupFrom(checks, c);
    const outcomes = group.map((check) => check.run(ctx));
    const subjects = Math.max(...outcomes.map((o) => o.length));
    for (let s = 0; s < subjects; s++) {
      group.forEach((check, g) => {
        const outcome = outcomes[g]?.[s];
        if (outcome) findings.push(toFinding(check, outcome, ctx));
      });
    }
    c += group.length;
  }
  return findings;
}

function sameGroupFrom(checks: readonly ConformanceCheck[], start: number): ConformanceCheck[] {
  const first = checks[start];
  if (!first) return [];
  let end = start + 1;
  while (first.group !== undefined && checks[end]?.group === first.group) end++;
  return checks.slice(start, end);
}

/** A check's outcome as the report shows it: with its id, clause, severity and, if failed, the remedy. */
export function toFinding(check: ConformanceCheck, outcome: CheckOutcome, ctx: ConformanceContext): Finding {
  return {
    id: outcome.subject ? `${check.id}:${outcome.subject}` : check.id,
    check: check.id,
    clause: { pcr: ctx.key, section: PCR_SECTIONS[check.clause] },
    severity: check.severity,
    passed: outcome.passed,
    message: outcome.message,
    action: outcome.passed ? null : remedyText(outcome.remedyKey ?? check.remedyKey, { pcr: ctx.pcr, subject: outcome.subject }),
    ...(outcome.lineIds ? { lineIds: outcome.lineIds.slice(0, MAX_LISTED) } : {}),
    ...(outcome.values ? { values: outcome.values } : {}),
  };
}
