/**
 * Searching an emission-factor dataset for the line editor's picker.
 *
 * A query is split into words (also where Chinese meets Latin letters or digits, so "浙江电力2022"
 * reads as "浙江电力" and "2022"); a factor matches when every word occurs in its Chinese or English
 * name, code, category, region (code or name) or year. Only factors that fit the line's kind are
 * offered, so a fuel line never lists a transport factor.
 */
import type { EmissionFactor } from "../../rules/factors/index.ts";
import { DEFAULT_FACTOR_LIBRARY } from "../../rules/factors/index.ts";
import { findRegion } from "../../rules/regions.ts";
import type { LineKindChoice } from "../utils/line-kinds.ts";
import { unitsLike } from "../utils/unit-choices.ts";

/** Factor categories that fit each line kind; kinds without a factor are absent. */
export const FACTOR_CATEGORIES_FOR_KIND: Partial<Record<LineKindChoice, readonly string[]>> = {
  material: ["material"],
  fuel: ["fuel", "energy"],
  waste: ["waste"],
  transport: ["transport"],
  electricity: ["electricity"],
};

export const CATEGORY_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  electricity: { zh: "电力", en: "electricity" },
  fuel: { zh: "燃料", en: "fuel" },
  material: { zh: "原材料", en: "material" },
  transport: { zh: "运输", en: "transport" },
  waste: { zh: "废弃物处理", en: "waste treatment" },
  process: { zh: "过程", en: "process" },
  energy: { zh: "能源", en: "energy" },
};

/** A factor as the picker shows it (no values: the result panel shows what a line contributes). */
export interface FactorChoice {
  code: string;
  zh: string;
  en: string;
  category: string;
  categoryName: { zh: string; en: string };
  /** The factor's activity unit, and the units a line may be entered in (same dimension). */
  unit: string;
  units: string[];
  region: string;
  regionName: { zh: string; en: string };
  year: number;
  demonstration: boolean;
}

export interface FactorSearch {
  kind?: string | null;
  /** Electricity lines pick a factor only for on-site generation. */
  supplyType?: string | null;
  query?: string | null;
  limit?: number;
}

export interface FactorSearchResult {
  dataset: { id: string; version: string };
  query: string;
  /** Matches in all, of which `factors` holds the first `limit`. */
  total: number;
  factors: FactorChoice[];
}

export const MAX_FACTOR_RESULTS = 100;
const DEFAULT_FACTOR_RESULTS = 40;

export function factorChoice(f: EmissionFactor): FactorChoice {
  const region = findRegion(f.region);
  return {
    code: f.code,
    zh: f.name.zh,
    en: f.name.en,
    category: f.category,
    categoryName: CATEGORY_NAMES[f.category] ?? { zh: f.category, en: f.category },
    unit: f.activityUnit,
    units: unitsLike(f.activityUnit),
    region: f.region,
    regionName: region ? { zh: region.name.zh, en: region.name.en } : { zh: f.region, en: f.region },
    year: f.year,
    demonstration: f.demonstration,
  };
}

/** Words of a query: lower case, full-width folded, split at spaces, punctuation and script changes. */
export function queryWords(query: string): string[] {
  return query
    .normalize("NFKC")
    .toLowerCase()
    .replace(/([\p{Script=Han}])(?=[a-z0-9])|([a-z0-9])(?=[\p{Script=Han}])/gu, "$1$2 ")
    .split(/[\s,;，；、·|/]+/u)
    .filter(Boolean)
    .slice(0, 10);
}

const haystacks = new WeakMap<EmissionFactor, string>();
/**
 * What a query's words are looked for in: code, names, category, region, year and unit, folded as
 * `queryWords` folds the query. Shared with the factor library pages, which add the source.
 */
export function haystackOf(f: EmissionFactor): string {
  let text = haystacks.get(f);
  if (text === undefined) {
    const region = findRegion(f.region);
    const category = CATEGORY_NAMES[f.category];
    text = [
      f.code,
      f.name.zh,
      f.name.en,
      f.category,
      category?.zh,
      category?.en,
      f.region,
      region?.name.zh,
      region?.name.en,
      String(f.year),
      f.activityUnit,
    ]
      .filter(Boolean)
      .join("\n")
      .normalize("NFKC")
      .toLowerCase();
    haystacks.set(f, text);
  }
  return text;
}

/** Factors of a kind, all of them when the kind takes no factor filter. */
export function factorsForKind(factors: readonly EmissionFactor[], kind: string | null | undefined, supplyType?: string | null): EmissionFactor[] {
  if (kind === "electricity" && supplyType !== "onsite") return [];
  const categories = kind ? FACTOR_CATEGORIES_FOR_KIND[kind as LineKindChoice] : undefined;
  if (kind && !categories) return [];
  return categories ? factors.filter((f) => categories.includes(f.category)) : [...factors];
}

/**
 * How well a factor matches a query's first word, 0 best: exact code, code prefix, a name starting
 * with it, anything else (also when there is no word).
 */
export function matchRank(f: EmissionFactor, first: string | undefined): number {
  if (!first) return 3;
  const code = f.code.toLowerCase();
  if (code === first) return 0;
  if (code.startsWith(first)) return 1;
  if (f.name.zh.toLowerCase().startsWith(first) || f.name.en.toLowerCase().startsWith(first)) return 2;
  return 3;
}

/**
 * Searches one dataset version. Ranking: exact code, then code prefix, then names starting with
 * the first word, then the dataset's own order (which groups factors by source).
 */
export function searchFactors(dataset: { id: string; version: string }, search: FactorSearch): FactorSearchResult {
  // Its own factors and those of the versions it includes: what a line of the inventory may cite.
  const all = DEFAULT_FACTOR_LIBRARY.factors(dataset.id, dataset.version);
  const query = (search.query ?? "").trim().slice(0, 200);
  const words = queryWords(query);
  const candidates = factorsForKind(all, search.kind, search.supplyType);
  const matches = words.length === 0 ? candidates : candidates.filter((f) => words.every((w) => haystackOf(f).includes(w)));
  const first = words[0];
  const ordered = matches.map((f, i) => ({ f, i, r: matchRank(f, first) })).sort((a, b) => a.r - b.r || a.i - b.i);
  const limit = Math.max(1, Math.min(MAX_FACTOR_RESULTS, search.limit ?? DEFAULT_FACTOR_RESULTS));
  return {
    dataset: { id: dataset.id, version: dataset.version },
    query,
    total: ordered.length,
    factors: ordered.slice(0, limit).map(({ f }) => factorChoice(f)),
  };
}

/** One factor of a dataset as a choice, or null when the code is not in it. */
export function factorByCode(dataset: { id: string; version: string }, code: string | null | undefined): FactorChoice | null {
  if (!code) return null;
  const f = DEFAULT_FACTOR_LIBRARY.index(dataset.id, dataset.version).get(code);
  return f ? factorChoice(f) : null;
}
