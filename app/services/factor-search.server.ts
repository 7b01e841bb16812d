/**
 * Searching an emission-factor dataset version for the line editor's picker: every factor the
 * version offers, its own and those of the versions it includes.
 *
 * A query is split into words (also where Chinese meets Latin letters or digits, so "浙江电力2022"
 * reads as "浙江电力" and "2022"); a factor matches when every word occurs in its Chinese or English
 * name, code, category, region (code or name) or year. Only factors that fit the line's kind are
 * offered, so a fuel line never lists a transport factor.
 *
 * For an inventory (its GWP set, PCR, site and reference year) each factor shows its GWP basis, and
 * one the study cannot use is still listed but greyed out with the reason: a CO2e value aggregated
 * under another GWP set that the PCR refuses, or a CO2-only grid factor where the PCR wants
 * life-cycle electricity. One the PCR accepts as a disclosed deviation says so. Usable factors
 * come first, ranked by how well they fit the study: region, then data year, then kind of data.
 */
import type { EmissionFactor, FactorLibrary } from "../../rules/factors/index.ts";
import { DEFAULT_FACTOR_LIBRARY } from "../../rules/factors/index.ts";
import { otherGwpSetRule, PCR_CATALOGUE, type Pcr } from "../../rules/pcr/index.ts";
import { findRegion, regionChain } from "../../rules/regions.ts";
import type { Message } from "../i18n/index.ts";
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

/** What a factor's value is given as: per gas (characterised with any GWP set) or CO2e aggregated under one set. */
export type FactorBasis = { kind: "per_gas" } | { kind: "co2e"; gwpSet: string };

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
  basis: FactorBasis;
  boundary: string;
  /** Why the inventory's study cannot use it (the picker greys it out); absent when it can. */
  unusable?: Message;
  /** Usable only as a deviation the PCR accepts and the conformance report discloses. */
  deviation?: Message;
}

/** What of an inventory decides which factors fit it and how well. */
export interface FactorStudy {
  gwpSet: string;
  pcr: { code: string; version: string };
  /** The site's region, where factors of that region or one enclosing it fit best. */
  region: string;
  /** The reference year (the period's end): factors of that year or the latest before fit best. */
  year: number;
}

/** The study of an inventory row, as the picker judges factors for it. */
export function factorStudyOf(inventory: {
  gwp_set: string;
  pcr_code: string;
  pcr_version: string;
  site_region: string;
  period_end: string;
}): FactorStudy {
  return {
    gwpSet: inventory.gwp_set,
    pcr: { code: inventory.pcr_code, version: inventory.pcr_version },
    region: inventory.site_region,
    year: Number(inventory.period_end.slice(0, 4)),
  };
}

export interface FactorSearch {
  kind?: string | null;
  /** Electricity lines pick a factor only for on-site generation. */
  supplyType?: string | null;
  query?: string | null;
  limit?: number;
  /** The inventory the line is for; without it every factor of the kind is offered as it is, in dataset order. */
  study?: FactorStudy;
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

export function factorChoice(f: EmissionFactor, study?: StudyRules): FactorChoice {
  const region = findRegion(f.region);
  const judged = study ? judge(f, study) : {};
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
    basis: f.co2e ? { kind: "co2e", gwpSet: f.co2e.gwpSet } : { kind: "per_gas" },
    boundary: f.boundary,
    ...judged,
  };
}

/** A study with the PCR it names, read once per search. */
interface StudyRules extends FactorStudy {
  readonly rules: Pcr;
  readonly chain: readonly string[];
}

function studyRules(study: FactorStudy): StudyRules | undefined {
  if (!PCR_CATALOGUE.has(study.pcr.code, study.pcr.version)) return undefined;
  return { ...study, rules: PCR_CATALOGUE.get(study.pcr.code, study.pcr.version), chain: regionChain(study.region) };
}

/**
 * Whether the study can use a factor: a CO2e value aggregated under another GWP set cannot be
 * characterised again, so it is refused unless the PCR accepts it as a disclosed deviation (the
 * calculator decides the same way); an electricity factor counting only CO2 is not the life-cycle
 * factor the PCR's electricity basis asks for.
 */
function judge(f: EmissionFactor, study: StudyRules): Pick<FactorChoice, "unusable" | "deviation"> {
  const pcr = `${study.rules.code}@${study.rules.version}`;
  if (f.co2e && f.co2e.gwpSet !== study.gwpSet) {
    const params = { factorSet: f.co2e.gwpSet, studySet: study.gwpSet, pcr };
    return otherGwpSetRule(study.rules) === "disclose"
      ? { deviation: { key: "inv.factor.otherSetDisclosed", params } }
      : { unusable: { key: "inv.factor.otherSetRefused", params } };
  }
  if (f.category === "electricity" && f.boundary === "scope2_co2_only" && study.rules.electricity.gridFactorBasis === "life_cycle") {
    return { unusable: { key: "inv.factor.co2Only", params: { pcr } } };
  }
  return {};
}

/**
 * How well a factor fits the study, smaller first: its region (the site's own, then each enclosing
 * region outwards, then any other), its data year (the reference year, then each year before it,
 * then later years), its kind of data (published and confirmed, single source, not recorded,
 * demonstration).
 */
function fitness(f: EmissionFactor, study: StudyRules): [number, number, number] {
  const inChain = study.chain.indexOf(f.region);
  const region = inChain >= 0 ? inChain : study.chain.length;
  const year = f.year <= study.year ? study.year - f.year : 1000 + f.year - study.year;
  const data = f.demonstration ? 3 : f.source.status === "confirmed" ? 0 : f.source.status === "single_source" ? 1 : 2;
  return [region, year, data];
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
 * Searches one dataset version (its own factors and its included versions'), in `library` (the
 * built-in versions unless the database's library, with the versions the platform published, is
 * given). Ranking: for an inventory, the factors it can use before those greyed out; then exact
 * code, code prefix, names starting with the first word; then, for an inventory, fitness (region,
 * year, data); then the dataset's own order (which groups factors by source).
 */
export function searchFactors(
  dataset: { id: string; version: string },
  search: FactorSearch,
  library: FactorLibrary = DEFAULT_FACTOR_LIBRARY,
): FactorSearchResult {
  const all = library.factors(dataset.id, dataset.version);
  const query = (search.query ?? "").trim().slice(0, 200);
  const words = queryWords(query);
  const candidates = factorsForKind(all, search.kind, search.supplyType);
  const matches = words.length === 0 ? candidates : candidates.filter((f) => words.every((w) => haystackOf(f).includes(w)));
  const first = words[0];
  const study = search.study ? studyRules(search.study) : undefined;
  const ranked = matches.map((f, i) => {
    const choice = factorChoice(f, study);
    return { choice, i, usable: choice.unusable ? 1 : 0, r: matchRank(f, first), fit: study ? fitness(f, study) : NO_FITNESS };
  });
  ranked.sort((a, b) => a.usable - b.usable || a.r - b.r || compareFitness(a.fit, b.fit) || a.i - b.i);
  const limit = Math.max(1, Math.min(MAX_FACTOR_RESULTS, search.limit ?? DEFAULT_FACTOR_RESULTS));
  return {
    dataset: { id: dataset.id, version: dataset.version },
    query,
    total: ranked.length,
    factors: ranked.slice(0, limit).map(({ choice }) => choice),
  };
}

const NO_FITNESS: [number, number, number] = [0, 0, 0];

function compareFitness(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** One factor of a dataset (its own or an included version's) as a choice, or null when the code is not in it. */
export function factorByCode(
  dataset: { id: string; version: string },
  code: string | null | undefined,
  study?: FactorStudy,
  library: FactorLibrary = DEFAULT_FACTOR_LIBRARY,
): FactorChoice | null {
  if (!code) return null;
  const f = library.index(dataset.id, dataset.version).get(code);
  return f ? factorChoice(f, study ? studyRules(study) : undefined) : null;
}
