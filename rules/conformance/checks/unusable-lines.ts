import { bi } from "../../i18n.ts";
import type { ConformanceCheck } from "../types.ts";

/** Id of the check naming the lines a result leaves out because they cannot be calculated. */
export const UNUSABLE_LINES_CHECK = "lines.unusable";

/** Distinct error codes named in a finding's text at most. */
const LISTED_CODES = 3;

/**
 * §5: every line inside the boundary counts. A result calculated with the editor's "exclude"
 * policy leaves out the lines it cannot calculate (a factor missing or of another GWP set, a
 * unit that does not convert, …) and lists them under `incomplete`: the report fails it, naming
 * each line, so the applicant sees what is missing rather than a smaller figure. A complete result
 * gives no outcome: the certification path refuses such lines before any report is made.
 */
export const unusableLines: ConformanceCheck = {
  id: UNUSABLE_LINES_CHECK,
  clause: "boundary",
  severity: "major",
  remedyKey: "fixUnusableLines",
  run: ({ result }) => {
    const lines = result.incomplete?.lines ?? [];
    if (lines.length === 0) return [];
    const codes = [...new Set(lines.flatMap((l) => l.errors.map((e) => e.code)))];
    const named = codes.slice(0, LISTED_CODES).join(", ") + (codes.length > LISTED_CODES ? ", …" : "");
    const message = bi(
      `${lines.length} 条清单行无法计算（${named}），未计入结果：结果不完整，不能用于认证`,
      `${lines.length} line(s) cannot be calculated (${named}) and are left out: the result is incomplete and cannot be certified`,
    );
    return [{ passed: false, message, lineIds: lines.map((l) => l.lineId), values: { lines: lines.length } }];
  },
};
