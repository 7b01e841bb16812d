import type { z } from "zod";

/**
 * What a validation issue of the inventory schema means, as a message key with parameters: the
 * form, the workbook import, stored lines and the calculation API all report a broken line this
 * way, and each front end translates the key where it is shown. The keys are the application's
 * "v.*" dictionary keys (the app checks at compile time that each one exists in both languages).
 */
export const LINE_ISSUE_KEYS = [
  "v.required",
  "v.number",
  "v.integer",
  "v.positive",
  "v.min",
  "v.max",
  "v.tooLong",
  "v.choice",
  "v.date",
  "v.invalid",
] as const;
export type LineIssueKey = (typeof LINE_ISSUE_KEYS)[number];
export interface LineIssueMessage {
  key: LineIssueKey;
  params?: Record<string, string | number>;
}

/** `issue` from a parse with `reportInput: true`, which tells a missing value from a wrong one. */
export function lineIssueMessage(issue: z.core.$ZodIssue): LineIssueMessage {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null || issue.input === "") return { key: "v.required" };
      if (issue.expected === "int") return { key: "v.integer" };
      return { key: issue.expected === "number" ? "v.number" : "v.invalid" };
    case "invalid_value":
    case "invalid_union":
    case "invalid_key":
      return { key: "v.choice" };
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "number" || issue.origin === "int") {
        return minimum === 0 && !issue.inclusive ? { key: "v.positive" } : { key: "v.min", params: { min: minimum } };
      }
      return { key: "v.required" };
    }
    case "too_big":
      if (issue.origin === "number" || issue.origin === "int") return { key: "v.max", params: { max: Number(issue.maximum) } };
      return { key: "v.tooLong", params: { max: Number(issue.maximum) } };
    case "invalid_format":
      return { key: issue.format === "date" ? "v.date" : "v.invalid" };
    default:
      return { key: "v.invalid" };
  }
}
