/**
 * The emission-factor library as its public pages show it: every factor of every dataset version
 * the platform holds, searched and filtered (/factors), and one factor code across the versions
 * that offer it (/factors/{code}), with the signed-in organization's inventories that use it.
 *
 * The factors are public reference data and live in memory (rules/factors, and the versions the
 * platform admin has published, which the loaders pass in as the library), so search is a scan
 * of prepared text, matched word by word exactly as the line editor's picker matches
 * (factor-search.server.ts); only the inventories that use a factor come from the database, scoped
 * to the viewer's organization (db/repositories/factor-usage.ts).
 *
 * A row is one factor as one version defines it. Unfiltered, each version lists its own factors,
 * so a factor is listed once per version that defines it; filtered by a version, the list is what
 * that version offers, its own factors and those of the versions it includes.
 */
import type { Kysely } from "kysely";
import { inventoriesUsingFactor } from "../../db/repositories/factor-usage.ts";
import type { DB } from "../../db/schema.ts";
import {
  DEFAULT_FACTOR_LIBRARY,
  FACTOR_CATEGORIES,
  TRANSCRIPTION_STATUSES,
  YEAR_CONVENTION_TEXT,
  datasetKey,
  type EmissionFactor,
  type FactorDataset,
  type FactorLibrary,
} from "../../rules/factors/index.ts";
import { toDecimalString } from "../../rules/format.ts";
import { GAS_NAMES, isGas } from "../../rules/gwp.ts";
import { REGIONS, findRegion } from "../../rules/regions.ts";
import { findUnit } from "../../rules/units.ts";
import { pick, translator, type Locale, type MessageKey } from "../i18n/index.ts";
import { unitSymbol } from "../utils/unit-choices.ts";
import { CATEGORY_NAMES, haystackOf, matchRank, queryWords } from "./factor-search.server.ts";

/**
 * How far a factor's value can be relied on, as the pages show it: the transcription status its
 * source records (confirmed, single source), a demonstration value, or a source cited without a
 * recorded status (the older entries of CN-DEMO 2026.1).
 */
export const FACTOR_STATUSES = [...TRANSCRIPTION_STATUSES, "demonstration", "not_recorded"] as const;
export type FactorStatus = (typeof FACTOR_STATUSES)[number];

export function factorStatus(f: EmissionFactor): FactorStatus {
  if (f.demonstration) return "demonstration";
  return f.source.status ?? "not_recorded";
}

export const LIBRARY_PAGE_SIZE = 50;
/** Longer queries are cut here (the words past the tenth are dropped by `queryWords` anyway). */
const MAX_QUERY = 200;
const MAX_USAGE_ROWS = 100;

/** One factor as one version defines it, with the folded text its words are searched in. */
interface Entry {
  readonly factor: EmissionFactor;
  readonly dataset: FactorDataset;
  readonly key: string;
  readonly status: FactorStatus;
  readonly text: string;
}

interface LibraryView {
  /** Newest first; on the same date, published data before demonstration datasets. */
  readonly datasets: readonly FactorDataset[];
  /** Every version's own factors, versions in the order above, each in its own order. */
  readonly entries: readonly Entry[];
  readonly ownEntries: ReadonlyMap<string, readonly Entry[]>;
  readonly categories: readonly string[];
  readonly regions: readonly string[];
  readonly years: readonly number[];
  readonly documents: readonly string[];
}

const views = new WeakMap<FactorLibrary, LibraryView>();

const bothLanguages = (key: MessageKey): string => `${translator("zh-CN")(key)}\n${translator("en")(key)}`;

/**
 * The text a factor of a version is found by: what the picker searches (code, names, category,
 * region, year, unit) and the source (document, publisher, table, data year, status), the GWP set,
 * boundary and electricity kind in both languages, and the version.
 */
function entryText(f: EmissionFactor, dataset: FactorDataset, status: FactorStatus): string {
  return [
    haystackOf(f),
    f.source.document,
    f.source.publisher,
    f.source.table,
    f.source.clause,
    f.source.dataYear === undefined ? undefined : String(f.source.dataYear),
    f.source.statusNote,
    bothLanguages(`factors.status.${status}`),
    f.verify ? bothLanguages("factors.verify") : undefined,
    f.co2e?.gwpSet,
    bothLanguages(`factors.boundary.${f.boundary}`),
    f.electricity ? bothLanguages(`factors.kind.${f.electricity}`) : undefined,
    dataset.id,
    dataset.version,
    dataset.name.zh,
    dataset.name.en,
  ]
    .filter((part): part is string => Boolean(part))
    .join("\n")
    .normalize("NFKC")
    .toLowerCase();
}

function compareDatasets(a: FactorDataset, b: FactorDataset): number {
  if (a.publishedOn !== b.publishedOn) return a.publishedOn < b.publishedOn ? 1 : -1;
  if (a.demonstration !== b.demonstration) return a.demonstration ? 1 : -1;
  return datasetKey(a) < datasetKey(b) ? -1 : 1;
}

/** The library prepared for search, once per library (a library never changes). */
function viewOf(library: FactorLibrary): LibraryView {
  let view = views.get(library);
  if (view) return view;
  const datasets = [...library.list()].sort(compareDatasets);
  const entries: Entry[] = [];
  const ownEntries = new Map<string, Entry[]>();
  for (const dataset of datasets) {
    const key = datasetKey(dataset);
    const own = dataset.factors.map((factor) => {
      const status = factorStatus(factor);
      return { factor, dataset, key, status, text: entryText(factor, dataset, status) };
    });
    ownEntries.set(key, own);
    entries.push(...own);
  }
  const present = <T>(values: Iterable<T>) => new Set(values);
  const categories = present(entries.map((e) => e.factor.category));
  const regions = present(entries.map((e) => e.factor.region));
  view = {
    datasets,
    entries,
    ownEntries,
    categories: FACTOR_CATEGORIES.filter((c) => categories.has(c)),
    regions: REGIONS.map((r) => r.code).filter((code) => regions.has(code)),
    years: [...present(entries.map((e) => e.factor.year))].sort((a, b) => b - a),
    documents: [...present(entries.map((e) => e.factor.source.document))].sort(),
  };
  views.set(library, view);
  return view;
}

// ---- filters ----

export interface LibraryFilter {
  readonly q: string;
  readonly category?: string;
  readonly region?: string;
  readonly year?: number;
  /** A version as `ID@version` (CN-PUBLISHED@2026.1): the factors it offers, included ones too. */
  readonly dataset?: string;
  /** A source document, exactly as the factors cite it. */
  readonly source?: string;
  readonly status?: FactorStatus;
  readonly page: number;
}

/** A filter value the page did not apply, and the rule it broke. */
export interface IgnoredFilter {
  readonly field: "category" | "region" | "year" | "dataset" | "source" | "status" | "page";
  readonly rule: "choice" | "year" | "page";
}

/**
 * The filter of a query string. A value that is not one of the choices is not applied, and said
 * so (`ignored`), so a hand-edited or outdated link still shows the library with the reason.
 */
export function libraryFilterFrom(params: URLSearchParams, library: FactorLibrary = DEFAULT_FACTOR_LIBRARY) {
  const view = viewOf(library);
  const ignored: IgnoredFilter[] = [];
  const text = (name: string) => (params.get(name) ?? "").trim();
  const choice = <T extends string>(field: IgnoredFilter["field"], allowed: readonly T[]): T | undefined => {
    const value = text(field);
    if (!value) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    ignored.push({ field, rule: "choice" });
    return undefined;
  };
  const yearText = text("year");
  let year: number | undefined;
  if (yearText) {
    year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
    if (year === undefined) ignored.push({ field: "year", rule: "year" });
  }
  const pageText = text("page");
  let page = 1;
  if (pageText) {
    if (/^\d{1,6}$/.test(pageText) && Number(pageText) >= 1) page = Number(pageText);
    else ignored.push({ field: "page", rule: "page" });
  }
  const filter: LibraryFilter = {
    q: text("q").slice(0, MAX_QUERY),
    category: choice("category", view.categories),
    region: choice("region", view.regions),
    year,
    dataset: choice("dataset", view.datasets.map(datasetKey)),
    source: choice("source", view.documents),
    status: choice("status", FACTOR_STATUSES),
    page,
  };
  return { filter, ignored };
}

/** The choices of each filter, in the reader's language: only values some factor has. */
export function libraryFacets(locale: Locale, library: FactorLibrary = DEFAULT_FACTOR_LIBRARY) {
  const view = viewOf(library);
  return {
    categories: view.categories.map((c) => ({ value: c, label: categoryLabel(c, locale) })),
    regions: view.regions.map((r) => ({ value: r, label: regionLabel(r, locale) })),
    years: view.years,
    datasets: view.datasets.map((d) => ({ value: datasetKey(d), label: datasetLabel(d, locale) })),
    sources: view.documents.map((d) => ({ value: d, label: d })),
    statuses: FACTOR_STATUSES,
  };
}

// ---- what a page shows of a factor ----

/** One number of a factor: the CO2e, or one gas (its name in the reader's language). */
export interface FactorValue {
  readonly amount: string;
  /** kgCO₂e/kWh for an aggregated value, kg/kWh for a gas. */
  readonly unit: string;
  readonly gas: string | null;
}

export type GwpBasis = { readonly kind: "per_gas" } | { readonly kind: "co2e"; readonly set: string };

function valuesOf(f: EmissionFactor, locale: Locale): FactorValue[] {
  const per = unitSymbol(f.activityUnit);
  if (f.co2e) return [{ amount: toDecimalString(f.co2e.value), unit: `kgCO₂e/${per}`, gas: null }];
  return Object.entries(f.gases ?? {}).map(([gas, amount]) => ({
    amount: toDecimalString(amount ?? 0),
    unit: `kg/${per}`,
    gas: isGas(gas) ? pick(locale, GAS_NAMES[gas].zh, GAS_NAMES[gas].en) : gas,
  }));
}

function basisOf(f: EmissionFactor): GwpBasis {
  return f.co2e ? { kind: "co2e", set: f.co2e.gwpSet } : { kind: "per_gas" };
}

function categoryLabel(category: string, locale: Locale): string {
  const name = CATEGORY_NAMES[category];
  return name ? pick(locale, name.zh, name.en) : category;
}

function regionLabel(code: string, locale: Locale): string {
  const region = findRegion(code);
  return region ? pick(locale, region.name.zh, region.name.en) : code;
}

function datasetLabel(d: FactorDataset, locale: Locale): string {
  return `${shortLabel(d)} · ${pick(locale, d.name.zh, d.name.en)}`;
}

/** A version as a list row names it: id and version (the full name is on the factor's page). */
function shortLabel(d: FactorDataset): string {
  return `${d.id} ${d.version}`;
}

/** The page of a factor code, showing it as one version defines it. */
export function factorHref(code: string, datasetKeyOfVersion?: string): string {
  const path = `/factors/${encodeURIComponent(code)}`;
  return datasetKeyOfVersion ? `${path}?version=${encodeURIComponent(datasetKeyOfVersion)}` : path;
}

export interface FactorRow {
  readonly code: string;
  readonly name: string;
  /** The name in the other language, so a reader finds both. */
  readonly otherName: string;
  readonly category: string;
  readonly region: string;
  readonly year: number;
  readonly values: readonly FactorValue[];
  readonly basis: GwpBasis;
  readonly boundary: EmissionFactor["boundary"];
  readonly status: FactorStatus;
  readonly verify: boolean;
  /** The version the row is listed under, and where the factor is defined when that is another version it includes. */
  readonly dataset: { readonly key: string; readonly label: string; readonly demonstration: boolean };
  readonly includedFrom: string | null;
  readonly source: { readonly document: string; readonly table: string | null; readonly dataYear: number | null };
  readonly href: string;
}

function rowOf(e: Entry, locale: Locale, listedUnder: FactorDataset): FactorRow {
  const f = e.factor;
  return {
    code: f.code,
    name: pick(locale, f.name.zh, f.name.en),
    otherName: pick(locale, f.name.en, f.name.zh),
    category: categoryLabel(f.category, locale),
    region: regionLabel(f.region, locale),
    year: f.year,
    values: valuesOf(f, locale),
    basis: basisOf(f),
    boundary: f.boundary,
    status: e.status,
    verify: f.verify === true,
    dataset: { key: datasetKey(listedUnder), label: shortLabel(listedUnder), demonstration: listedUnder.demonstration },
    includedFrom: e.dataset === listedUnder ? null : shortLabel(e.dataset),
    source: { document: f.source.document, table: f.source.table ?? null, dataYear: f.source.dataYear ?? null },
    href: factorHref(f.code, e.key),
  };
}

// ---- search ----

export interface LibraryPage {
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly from: number;
  readonly to: number;
  readonly rows: readonly FactorRow[];
}

/**
 * Factors matching the filter: every word of `q` in the factor's text (as the picker matches),
 * and each filter exactly. Ranked as the picker ranks (exact code, code prefix, name starting with
 * the first word), then versions newest first, each in its own order. A page past the last one
 * shows the last.
 */
export function searchLibrary(
  filter: LibraryFilter,
  locale: Locale,
  library: FactorLibrary = DEFAULT_FACTOR_LIBRARY,
  pageSize = LIBRARY_PAGE_SIZE,
): LibraryPage {
  const view = viewOf(library);
  let listedUnder: FactorDataset | undefined;
  let candidates: readonly Entry[] = view.entries;
  if (filter.dataset) {
    listedUnder = view.datasets.find((d) => datasetKey(d) === filter.dataset);
    candidates = listedUnder
      ? library.members(listedUnder.id, listedUnder.version).flatMap((member) => view.ownEntries.get(datasetKey(member)) ?? [])
      : [];
  }
  const words = queryWords(filter.q);
  const matches = candidates.filter(
    (e) =>
      (filter.category === undefined || e.factor.category === filter.category) &&
      (filter.region === undefined || e.factor.region === filter.region) &&
      (filter.year === undefined || e.factor.year === filter.year) &&
      (filter.source === undefined || e.factor.source.document === filter.source) &&
      (filter.status === undefined || e.status === filter.status) &&
      words.every((w) => e.text.includes(w)),
  );
  const first = words[0];
  const ordered = first
    ? matches
        .map((e, i) => ({ e, i, r: matchRank(e.factor, first) }))
        .sort((a, b) => a.r - b.r || a.i - b.i)
        .map(({ e }) => e)
    : matches;
  const total = ordered.length;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, filter.page), pages);
  const start = (page - 1) * pageSize;
  const slice = ordered.slice(start, start + pageSize);
  return {
    total,
    page,
    pages,
    from: total === 0 ? 0 : start + 1,
    to: start + slice.length,
    rows: slice.map((e) => rowOf(e, locale, listedUnder ?? e.dataset)),
  };
}

// ---- one factor ----

/** A factor code as a URL may carry it: what the dataset schema allows, and not absurdly long. */
const CODE_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,79}$/;

export interface FactorVersion {
  readonly key: string;
  readonly label: string;
  readonly demonstration: boolean;
  readonly includedFrom: string | null;
  readonly values: readonly FactorValue[];
  readonly basis: GwpBasis;
  readonly status: FactorStatus;
  readonly verify: boolean;
  readonly year: number;
  readonly href: string;
}

/**
 * A factor code across the versions that offer it (its own or through an included version), each
 * with its value, and the factor in full as the chosen version defines it (`version`, an
 * `ID@version` key; else the first, newest, version). Null when no version has the code.
 */
export function factorDetail(code: string, version: string | null, locale: Locale, library: FactorLibrary = DEFAULT_FACTOR_LIBRARY) {
  if (!CODE_PATTERN.test(code)) return null;
  const view = viewOf(library);
  const found: { dataset: FactorDataset; origin: FactorDataset; factor: EmissionFactor }[] = [];
  for (const dataset of view.datasets) {
    const factor = library.index(dataset.id, dataset.version).get(code);
    const origin = library.originOf(dataset.id, dataset.version, code);
    if (factor && origin) found.push({ dataset, origin, factor });
  }
  const shown = found.find((v) => datasetKey(v.dataset) === version) ?? found[0];
  if (!shown) return null;
  const f = shown.factor;
  const unit = findUnit(f.activityUnit);
  const region = findRegion(f.region);
  const formula = f.formula
    ? {
        ncv: f.formula.ncvGJ,
        carbon: f.formula.carbonTPerGJ,
        oxidation: f.formula.oxidationPercent,
        result: f.formula.tabulatedTCO2,
        per: unitSymbol(f.formula.perUnit),
      }
    : null;
  return {
    code: f.code,
    name: { zh: f.name.zh, en: f.name.en },
    category: categoryLabel(f.category, locale),
    electricity: f.electricity ?? null,
    region: { code: f.region, name: region ? pick(locale, region.name.zh, region.name.en) : f.region },
    year: f.year,
    activityUnit: { symbol: unitSymbol(f.activityUnit), name: unit ? pick(locale, unit.name.zh, unit.name.en) : f.activityUnit },
    values: valuesOf(f, locale),
    biogenic: f.co2e?.biogenic === undefined ? null : toDecimalString(f.co2e.biogenic),
    basis: basisOf(f),
    boundary: f.boundary,
    status: factorStatus(f),
    verify: f.verify === true,
    source: {
      document: f.source.document,
      publisher: f.source.publisher,
      year: f.source.year,
      table: f.source.table ?? null,
      clause: f.source.clause ?? null,
      dataYear: f.source.dataYear ?? null,
      statusNote: f.source.statusNote ?? null,
      note: f.source.note ?? null,
    },
    uncertainty: f.uncertainty
      ? { distribution: f.uncertainty.distribution, relativeSdPercent: toDecimalString(f.uncertainty.relativeSd * 100) }
      : null,
    formula,
    yearConvention: f.yearConvention ? pick(locale, YEAR_CONVENTION_TEXT[f.yearConvention].zh, YEAR_CONVENTION_TEXT[f.yearConvention].en) : null,
    note: f.note ?? null,
    shown: { key: datasetKey(shown.dataset), label: datasetLabel(shown.dataset, locale) },
    versions: found.map((v): FactorVersion => ({
      key: datasetKey(v.dataset),
      label: datasetLabel(v.dataset, locale),
      demonstration: v.dataset.demonstration,
      includedFrom: v.origin === v.dataset ? null : datasetLabel(v.origin, locale),
      values: valuesOf(v.factor, locale),
      basis: basisOf(v.factor),
      status: factorStatus(v.factor),
      verify: v.factor.verify === true,
      year: v.factor.year,
      href: factorHref(code, datasetKey(v.dataset)),
    })),
  };
}
export type FactorDetail = NonNullable<ReturnType<typeof factorDetail>>;

/** The code the URL names, upper-cased when only the case differs from a code the library has. */
export function canonicalFactorCode(code: string, library: FactorLibrary = DEFAULT_FACTOR_LIBRARY): string | null {
  const upper = code.toUpperCase();
  if (upper === code || !CODE_PATTERN.test(upper)) return null;
  return viewOf(library).entries.some((e) => e.factor.code === upper) ? upper : null;
}

// ---- the organization's inventories that use a factor ----

export interface FactorUsageRow {
  readonly inventoryId: string;
  readonly href: string;
  readonly product: string;
  readonly model: string;
  readonly version: number;
  readonly period: string;
  readonly dataset: string;
  readonly lines: number;
  readonly locked: boolean;
}

/**
 * Inventories of the organization (every version) with lines citing the code. Only ever the
 * organization's own: the caller passes the signed-in user's organization.
 */
export async function factorUsage(db: Kysely<DB>, organizationId: string, code: string, locale: Locale) {
  const rows = await inventoriesUsingFactor(db, organizationId, code, MAX_USAGE_ROWS + 1);
  return {
    more: rows.length > MAX_USAGE_ROWS,
    limit: MAX_USAGE_ROWS,
    rows: rows.slice(0, MAX_USAGE_ROWS).map((r): FactorUsageRow => ({
      inventoryId: r.inventory_id,
      href: `/inventories/${r.inventory_id}`,
      product: pick(locale, r.product_name_zh, r.product_name_en),
      model: r.product_model,
      version: r.version,
      period: `${r.period_start} – ${r.period_end}`,
      dataset: `${r.factor_dataset_id} ${r.factor_dataset_version}`,
      lines: r.line_count,
      locked: r.locked_at !== null,
    })),
  };
}
