import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en.ts";
import { translator } from "../../app/i18n/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { CASE_MESSAGE_KEYS, CaseInputError, type FieldIssue } from "../../workflows/cases/errors.ts";
import { parseUserEvent } from "../../workflows/cases/events.ts";

/** Sample values for every parameter a host message may carry. */
const SAMPLE_PARAMS = { min: 2, max: 200, count: 2, pcr: "PCR-CN-LIB-EV" };
/** Latin text a Chinese message may contain: the date pattern, the NUL character's name and the PCR code of the sample. */
const ALLOWED_LATIN_IN_ZH = ["YYYY-MM-DD", "NUL", SAMPLE_PARAMS.pcr];

const PAYLOAD_PATH = /\b[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+\b/;
const CAMEL_CASE = /\b[a-z]+[A-Z][A-Za-z0-9]*\b/;
const LEADING_FIELD = /^\s*[A-Za-z][\w.]*\s*[:：]/;

function issuesOf(payload: unknown): readonly FieldIssue[] {
  try {
    parseUserEvent(payload);
  } catch (error) {
    if (error instanceof CaseInputError) return error.issues;
    throw error;
  }
  throw new Error("the payload was accepted");
}

describe("the case layer's messages", () => {
  it("has a text for every host key in both dictionaries", () => {
    for (const key of CASE_MESSAGE_KEYS) {
      expect(zhCN[key], key).toBeTruthy();
      expect(en[key], key).toBeTruthy();
    }
  });

  it("never names a field or a payload path, and the Chinese texts carry no English words", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const t = translator(locale);
      for (const key of CASE_MESSAGE_KEYS) {
        const text = t(key, SAMPLE_PARAMS);
        expect(text, key).not.toMatch(/\{\w+\}/);
        expect(text, key).not.toMatch(PAYLOAD_PATH);
        expect(text, key).not.toMatch(CAMEL_CASE);
        expect(text, key).not.toMatch(LEADING_FIELD);
        if (locale === "zh-CN") {
          const rest = ALLOWED_LATIN_IN_ZH.reduce((s, allowed) => s.replaceAll(allowed, ""), text);
          expect(rest, key).not.toMatch(/[A-Za-z]{2,}/);
        }
      }
    }
  });

  it("says each payload rule by key, the refinements included, with the rule's numbers as params", () => {
    const credit = { registry: "vcs", programme: "VM0001", serialPrefix: "", first: 10, last: 5, vintage: 2024, retiredOn: "2025-01-01" };
    const claim = { period: { start: "2025-12-31", end: "2025-01-01" }, quantity: 1 };
    expect(issuesOf({ type: "RECORD_CREDITS", claim, credits: [credit] }).map((i) => [i.field, i.key])).toEqual([
      ["claim.period.end", "v.dateOrder"],
      ["credits.0.last", "case.v.serialOrder"],
    ]);
    expect(issuesOf({ type: "DECLINE", reason: "a\u0000b" })).toEqual([{ field: "reason", rule: "custom", key: "case.issue.nul" }]);
    expect(issuesOf({ type: "DECLINE", reason: "x".repeat(2001) })).toEqual([
      { field: "reason", rule: "too_big", key: "v.tooLong", params: { max: 2000 } },
    ]);
    expect(issuesOf({ type: "DECLINE", reason: "no", extra: 1 })).toEqual([
      { field: "type", rule: "unrecognized_keys", key: "case.issue.fieldsNotAllowed", params: { count: 1 } },
    ]);
    expect(issuesOf({ type: "NO_SUCH_THING" }).map((i) => i.key)).toEqual(["case.issue.unknownAction"]);
  });

  it("tells a field of the wrong type from a missing one", () => {
    expect(issuesOf({ type: "RENEW", inventoryId: "00000000-0000-4000-8000-000000000000", declaredValue: 1 })).toEqual([
      { field: "conformancePassed", rule: "invalid_type", key: "v.required" },
    ]);
    expect(issuesOf({ type: "RENEW", inventoryId: "00000000-0000-4000-8000-000000000000", declaredValue: 1, conformancePassed: "yes" })).toEqual([
      { field: "conformancePassed", rule: "invalid_type", key: "case.issue.type" },
    ]);
  });
});
