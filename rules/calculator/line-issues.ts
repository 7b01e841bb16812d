import type { z } from "zod";
import { InvalidFieldError, UnknownMemberError, type ErrorLocation, type InputError } from "../errors.ts";
import { bi, type Bilingual } from "../i18n.ts";
import { INVENTORY_RULES } from "./schema.ts";

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

const TYPE_NAMES: Readonly<Record<string, Bilingual>> = {
  number: { zh: "数字", en: "a number" },
  int: { zh: "整数", en: "an integer" },
  string: { zh: "文本", en: "text" },
  boolean: { zh: "布尔值（真或假）", en: "true or false" },
  object: { zh: "对象", en: "an object" },
  array: { zh: "数组", en: "a list" },
};

/** Choices listed in a message at most; the schema lists them all. */
const LISTED_CHOICES = 12;

function choices(values: readonly unknown[]): Bilingual {
  const listed = values.slice(0, LISTED_CHOICES).map(String);
  const more = values.length > listed.length ? { zh: " 等", en: ", …" } : { zh: "", en: "" };
  return { zh: `${listed.map((v) => `「${v}」`).join("")}${more.zh}`, en: `${listed.join(", ")}${more.en}` };
}

/** The rule an issue breaks, in both languages (the Chinese quotes codes only). */
function issueText(issue: z.core.$ZodIssue): { rule: string; text: Bilingual } {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined || issue.input === null || issue.input === "") return { rule: "required", text: bi("必填", "is required") };
      // JSON.parse reads 1e999 as Infinity: a number, just not one the calculator can take.
      if (typeof issue.input === "number" && issue.expected === "number") {
        return { rule: "finite", text: bi("不是有限数值（超出可表示的范围）", "is not a finite number (outside the range numbers can hold)") };
      }
      const type = TYPE_NAMES[issue.expected] ?? { zh: `「${issue.expected}」`, en: issue.expected };
      return { rule: "type", text: bi(`应为${type.zh}`, `must be ${type.en}`) };
    }
    case "invalid_value": {
      const c = choices(issue.values);
      return { rule: "choice", text: bi(`不是允许的取值，可选：${c.zh}`, `must be one of: ${c.en}`) };
    }
    case "invalid_union": {
      const options = (issue as { options?: readonly unknown[] }).options;
      if (options) {
        const c = choices(options);
        return { rule: "choice", text: bi(`不是允许的取值，可选：${c.zh}`, `must be one of: ${c.en}`) };
      }
      return { rule: "choice", text: bi("不符合任何一种允许的形式", "matches none of the allowed forms") };
    }
    case "invalid_key":
      return { rule: "choice", text: bi("含有不允许的名称", "has a name that is not allowed") };
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "number" || issue.origin === "int") {
        if (minimum === 0 && !issue.inclusive) return { rule: "too_small", text: bi("必须大于 0", "must be greater than 0") };
        return issue.inclusive
          ? { rule: "too_small", text: bi(`不能小于 ${minimum}`, `must be at least ${minimum}`) }
          : { rule: "too_small", text: bi(`必须大于 ${minimum}`, `must be greater than ${minimum}`) };
      }
      if (issue.origin === "array") return { rule: "too_small", text: bi(`至少需要 ${minimum} 项`, `needs at least ${minimum} item(s)`) };
      return { rule: "required", text: bi("不能为空", "must not be empty") };
    }
    case "too_big": {
      const maximum = Number(issue.maximum);
      if (issue.origin === "number" || issue.origin === "int")
        return { rule: "too_big", text: bi(`不能大于 ${maximum}`, `must be at most ${maximum}`) };
      if (issue.origin === "array") return { rule: "too_big", text: bi(`不能超过 ${maximum} 项`, `must have at most ${maximum} item(s)`) };
      return { rule: "too_big", text: bi(`不能超过 ${maximum} 个字符`, `must be at most ${maximum} characters`) };
    }
    case "invalid_format":
      return issue.format === "date"
        ? { rule: "format", text: bi("应为「年-月-日」格式的日期", "must be a date as YYYY-MM-DD") }
        : { rule: "format", text: bi("格式不正确", `is not in the expected format (${issue.format})`) };
    case "custom": {
      const rule = (issue.params as { rule?: string } | undefined)?.rule;
      if (rule === INVENTORY_RULES.transportQuantity) {
        return {
          rule,
          text: bi("运输行须给出「数量与单位」（吨公里）或「质量与距离」，且只能给出其中一种", issue.message),
        };
      }
      if (rule === INVENTORY_RULES.periodOrder) return { rule, text: bi("结束日期早于开始日期", issue.message) };
      if (rule === INVENTORY_RULES.supplierFigure) {
        return { rule, text: bi("供应商行须引用一份证书（certificate）或给出供应商自报数据（declared），且只能给出其中一种", issue.message) };
      }
      return { rule: rule ?? "custom", text: bi("不符合规则", issue.message) };
    }
    default:
      return { rule: issue.code, text: bi("格式不正确", issue.message) };
  }
}

/**
 * Where a path from the inventory's root points: the product and line by their ids (read from the
 * input itself, when they are there), and the member within them.
 */
export function locationOfPath(data: unknown, path: readonly PropertyKey[]): ErrorLocation {
  const segments = path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (segments[0] !== "products" || typeof segments[1] !== "number") return fieldOnly(segments);
  const product = memberAt(data, ["products", segments[1]]);
  const productId = idOf(product);
  const withProduct = (rest: readonly (string | number)[]): ErrorLocation => ({
    ...(productId !== undefined ? { productId } : {}),
    ...(rest.length > 0 ? { field: rest.join(".") } : {}),
  });
  if (productId === undefined) return fieldOnly(segments);
  if (segments[2] !== "lines" || typeof segments[3] !== "number") return withProduct(segments.slice(2));
  const lineId = idOf(memberAt(product, ["lines", segments[3]]));
  if (lineId === undefined) return withProduct(segments.slice(2));
  const rest = segments.slice(4);
  return { productId, lineId, ...(rest.length > 0 ? { field: rest.join(".") } : {}) };
}

function fieldOnly(segments: readonly (string | number)[]): ErrorLocation {
  return segments.length > 0 ? { field: segments.join(".") } : {};
}

function memberAt(data: unknown, path: readonly (string | number)[]): unknown {
  let at = data;
  for (const key of path) {
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

function idOf(value: unknown): string | undefined {
  const id = typeof value === "object" && value !== null && Object.hasOwn(value, "id") ? (value as { id: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 ? id : undefined;
}

/**
 * Every issue of a parse of `data` (with `reportInput: true`) as a located error: an unknown member
 * is an UnknownMemberError of its own per member, any other issue an InvalidFieldError naming its
 * rule, with the message key the editor shows for it.
 */
export function inputErrorsOf(data: unknown, issues: readonly z.core.$ZodIssue[]): InputError[] {
  const errors: InputError[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        errors.push(new UnknownMemberError(path.map(String).join("."), key, locationOfPath(data, path)));
      }
      continue;
    }
    const { rule, text } = issueText(issue);
    const { key, params } = lineIssueMessage(issue);
    errors.push(new InvalidFieldError(issue.path.map(String).join("."), rule, text, locationOfPath(data, issue.path), key, params));
  }
  return errors;
}
