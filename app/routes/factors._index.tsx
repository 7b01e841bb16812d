/**
 * /factors — the emission-factor library: every factor of every dataset version the platform
 * holds, searched by Chinese or English name, code, category, region, year, source and status, and
 * filtered by category, region, data year, dataset version, source document and status; 50 a page.
 *
 * The library is the built-in versions and those the platform admin has published
 * (workflows/footprints/library.ts): one small query for the published versions' keys, the factors
 * themselves in memory, so unlike the registry the page needs no per-client budget.
 *
 * Public: the factors are public reference data, the same for everyone, and the page says so.
 * What is not public, the inventories that use a factor, is on the factor's own page and only for
 * the signed-in organization.
 */
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { displayName, FactorValues, GwpBasisText, StatusBadge } from "../components/factors/factor-facts.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { libraryFacets, libraryFilterFrom, searchLibrary, type LibraryFilter } from "../services/factor-library.server.ts";
import { publicContext } from "../utils/auth.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { useT } from "../utils/i18n-react.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";

export const meta: MetaFunction = () => [{ title: "排放因子库 Emission-factor library · CarbonLabel" }];

/** The page is in the reader's language (cookie, else Accept-Language) and shows who is signed in. */
const PAGE_HEADERS = { "Cache-Control": "private, no-cache", Vary: "Accept-Language, Cookie" };

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, locale } = await publicContext(request);
  // NUL has no place in a search; refused as bad input with the field named, like every page.
  refuseNulBytes(request, locale);
  const library = await factorLibrary(db);
  const { filter, ignored } = libraryFilterFrom(new URL(request.url).searchParams, library);
  const results = searchLibrary(filter, locale, library);
  return data({ filter, ignored, facets: libraryFacets(locale, library), results }, { headers: PAGE_HEADERS });
}

const FILTER_FIELDS = ["q", "category", "region", "year", "dataset", "source", "status"] as const;

function queryOf(filter: LibraryFilter, page: number): string {
  const q = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined && value !== "") q.set(field, String(value));
  }
  if (page > 1) q.set("page", String(page));
  const text = q.toString();
  return text ? `/factors?${text}` : "/factors";
}

const FIELD_LABEL: Record<string, MessageKey> = {
  category: "factors.category",
  region: "factors.region",
  year: "factors.year",
  dataset: "factors.dataset",
  source: "factors.source",
  status: "factors.status",
  page: "factors.page",
};

export default function FactorLibrary() {
  const t = useT();
  const { filter, ignored, facets, results } = useLoaderData<typeof loader>();
  const filtered = FILTER_FIELDS.some((field) => filter[field] !== undefined && filter[field] !== "");
  return (
    <div className="factor-library">
      <h1>{t("factors.title")}</h1>
      <p className="muted">{t("factors.lead")}</p>
      <p className="small" data-testid="factors-public">
        {t("factors.public")}
      </p>
      <Form method="get" className="card registry-filters" role="search">
        <div className="field">
          <label htmlFor="factors-q">{t("factors.search")}</label>
          <input id="factors-q" type="search" name="q" defaultValue={filter.q} placeholder={t("factors.searchHint")} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="factors-category">{t("factors.category")}</label>
          <select id="factors-category" name="category" defaultValue={filter.category ?? ""}>
            <option value="">{t("factors.allCategories")}</option>
            {facets.categories.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="factors-region">{t("factors.region")}</label>
          <select id="factors-region" name="region" defaultValue={filter.region ?? ""}>
            <option value="">{t("factors.allRegions")}</option>
            {facets.regions.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="factors-year">{t("factors.year")}</label>
          <select id="factors-year" name="year" defaultValue={filter.year === undefined ? "" : String(filter.year)}>
            <option value="">{t("factors.allYears")}</option>
            {facets.years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="factors-dataset">{t("factors.dataset")}</label>
          <select id="factors-dataset" name="dataset" defaultValue={filter.dataset ?? ""}>
            <option value="">{t("factors.allDatasets")}</option>
            {facets.datasets.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="factors-source">{t("factors.source")}</label>
          <select id="factors-source" name="source" defaultValue={filter.source ?? ""}>
            <option value="">{t("factors.allSources")}</option>
            {facets.sources.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="factors-status">{t("factors.status")}</label>
          <select id="factors-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">{t("factors.allStatuses")}</option>
            {facets.statuses.map((s) => (
              <option key={s} value={s}>
                {t(`factors.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <p className="registry-apply button-row">
          <button type="submit">{t("factors.apply")}</button>
          {filtered ? (
            <Link to="/factors" className="button secondary">
              {t("factors.clear")}
            </Link>
          ) : null}
        </p>
      </Form>
      {ignored.length > 0 ? (
        <div className="alert alert-warn" role="status" data-testid="factors-ignored">
          {ignored.map((i) => (
            <p key={i.field}>{t("factors.ignored", { field: t(FIELD_LABEL[i.field]!), rule: t(`factors.rule.${i.rule}` as MessageKey) })}</p>
          ))}
        </div>
      ) : null}

      {results.total === 0 ? (
        <p className="card" data-testid="factors-none">
          {t("factors.none")}
        </p>
      ) : (
        <>
          <p className="muted small" data-testid="factors-count">
            {t("factors.count", { total: results.total, from: results.from, to: results.to })}
          </p>
          <div className="table-wrap">
            <table data-testid="factors-table" className="stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">{t("factors.col.factor")}</th>
                  <th scope="col" className="num">
                    {t("factors.col.value")}
                  </th>
                  <th scope="col">{t("factors.col.basis")}</th>
                  <th scope="col">{t("factors.col.source")}</th>
                </tr>
              </thead>
              <tbody>
                {results.rows.map((r) => (
                  <tr key={`${r.dataset.key}|${r.code}`} data-testid="factor-row" data-code={r.code}>
                    <td>
                      <Link to={r.href}>{displayName(r.name)}</Link>
                      <br />
                      <span className="muted small">
                        <code>{r.code}</code> · {r.category} · {r.region} · {r.year}
                      </span>
                    </td>
                    <td className="num">
                      <FactorValues values={r.values} />
                    </td>
                    <td className="small">
                      <GwpBasisText basis={r.basis} />
                      <br />
                      <span className="muted">{t(`factors.boundary.${r.boundary}` as MessageKey)}</span>
                    </td>
                    <td className="small">
                      <StatusBadge status={r.status} verify={r.verify} />
                      <br />
                      <span className="muted">
                        {r.source.document}
                        {r.source.table ? ` · ${r.source.table}` : ""}
                      </span>
                      <br />
                      <span className="muted">
                        {r.dataset.label}
                        {r.includedFrom ? ` · ${t("factors.via", { dataset: r.includedFrom })}` : ""}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p className="muted small">{t("factors.statusLegend")}</p>
      <p className="button-row">
        {results.page > 1 ? (
          <Link to={queryOf(filter, results.page - 1)} className="button secondary" rel="prev">
            {t("factors.previous")}
          </Link>
        ) : null}
        {results.page < results.pages ? (
          <Link to={queryOf(filter, results.page + 1)} className="button secondary" rel="next">
            {t("factors.next")}
          </Link>
        ) : null}
      </p>
    </div>
  );
}
