/**
 * Provinces for forms and display, taken from the region list of the rules (ISO 3166-2:CN codes,
 * each with its regional grid), so a company's site and its grid electricity factor agree.
 */
import { REGIONS } from "../../rules/regions.ts";

export const PROVINCES = REGIONS.filter((r) => r.level === "province").map((r) => ({
  code: r.code,
  zh: r.name.zh,
  en: r.name.en,
  grid: r.parent ?? null,
}));

export function provinceName(code: string | null | undefined, locale: "zh-CN" | "en"): string {
  const p = PROVINCES.find((x) => x.code === code);
  if (!p) return "—";
  return locale === "en" ? p.en : p.zh;
}
