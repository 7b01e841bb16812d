/**
 * /registry — the public registry of valid certificates: filter by product category, label type,
 * company and province; within one category sort by footprint, lowest first; and per category
 * and declared unit the count, median and range, drawn as a dot strip (one dot per certificate).
 *
 * Public and several queries per view, so it shares the verification side's per-client budget
 * (rate-limit.server.ts, VERIFY_RATE_LIMIT): a scraper paging through filters is held to the same
 * rate as one looking numbers up.
 */
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { LABEL_COLOURS } from "../certificate-files/label-mark.ts";
import type { MessageKey } from "../i18n/index.ts";
import {
  categoryName,
  LABEL_TYPE_CODES,
  registryFacets,
  registryStatistics,
  REGISTRY_SORTS,
  searchRegistry,
  type RegistryFilter,
} from "../services/certificates/registry.server.ts";
import { verifyRateLimit } from "../services/certificates/rate-limit.server.ts";
import { publicContext } from "../utils/auth.server.ts";
import { clientIp } from "../utils/http.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { translator, type Locale } from "../i18n/index.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { provinceName } from "../utils/provinces.ts";
import { ListTable, numeric } from "../components/data-table.tsx";

export const meta: MetaFunction = () => [{ title: "公开登记册 Public registry · CarbonLabel" }];

const PAGE = 50;

function filterFrom(url: URL): RegistryFilter & { page: number } {
  const q = url.searchParams;
  const labelType = q.get("label");
  const sort = q.get("sort");
  const page = Math.max(1, Math.min(1000, Number.parseInt(q.get("page") ?? "1", 10) || 1));
  return {
    category: q.get("category")?.trim().slice(0, 64) || undefined,
    labelType: (LABEL_TYPE_CODES as readonly string[]).includes(labelType ?? "") ? (labelType as RegistryFilter["labelType"]) : undefined,
    company: q.get("company")?.trim().slice(0, 100) || undefined,
    province: q.get("province")?.trim().slice(0, 16) || undefined,
    sort: (REGISTRY_SORTS as readonly string[]).includes(sort ?? "") ? (sort as RegistryFilter["sort"]) : "newest",
    page,
  };
}

/** The page is in the reader's language (cookie, else Accept-Language) and shows who is signed in. */
const PAGE_HEADERS = { "Cache-Control": "private, no-cache", Vary: "Accept-Language, Cookie" };

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** 429 with Retry-After; the message in the reader's language, then the other. */
function tooManyRequests(seconds: number, locale: Locale): Response {
  const order: Locale[] = locale === "en" ? ["en", "zh-CN"] : ["zh-CN", "en"];
  return new Response(order.map((l) => translator(l)("registry.rateLimited", { seconds })).join("\n"), {
    status: 429,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Retry-After": String(seconds) },
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, locale } = await publicContext(request);
  // A NUL in a filter would reach PostgreSQL (a 500); it is bad input, answered before any cost.
  refuseNulBytes(request, locale);
  const retryAfter = verifyRateLimit("lookup", clientIp(context));
  if (retryAfter !== null) throw tooManyRequests(retryAfter, locale);
  const url = new URL(request.url);
  const filter = filterFrom(url);
  const [results, statistics, facets] = await Promise.all([
    searchRegistry(db, { ...filter, limit: PAGE, offset: (filter.page - 1) * PAGE }),
    registryStatistics(db, filter),
    registryFacets(db, locale),
  ]);
  return data(
    {
      filter,
      facets,
      sortIgnored: filter.sort === "footprint" && !filter.category,
      rows: results.rows.map((r) => ({
        number: r.number,
        labelType: r.label_type,
        category: categoryName(r.pcr_code, locale),
        value: r.verified_value,
        declaredUnit: `${r.declared_unit_quantity} ${r.declared_unit}`,
        grade: r.grade,
        validUntil: r.valid_until,
        holder: locale === "en" ? r.holder_name_en : r.holder_name_zh,
        province: provinceName(r.province, locale),
        product: locale === "en" ? r.product_name_en : r.product_name_zh,
        cb: r.cb_code,
      })),
      more: results.more,
      statistics: statistics.map((s) => ({ ...s, name: categoryName(s.category, locale) })),
    },
    { headers: PAGE_HEADERS },
  );
}

type Statistic = ReturnType<typeof useLoaderData<typeof loader>>["statistics"][number];

/** One category: a strip from min to max, a dot per certificate, the median as a bar. */
function DotStrip({ s, label }: { s: Statistic; label: string }) {
  const width = 320;
  const height = 44;
  const pad = 12;
  const min = Number(s.min);
  const max = Number(s.max);
  const x = (v: number) => (max > min ? pad + ((v - min) / (max - min)) * (width - 2 * pad) : width / 2);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="dot-strip" role="img" aria-label={label}>
      <line x1={pad} x2={width - pad} y1={18} y2={18} className="strip-axis" />
      {s.values.map((v, i) => (
        <circle key={i} cx={x(v)} cy={18} r={5} className="strip-dot" />
      ))}
      <line x1={x(Number(s.median))} x2={x(Number(s.median))} y1={6} y2={30} className="strip-median" />
      <text x={pad} y={42} className="strip-label" textAnchor="start">
        {s.min}
      </text>
      <text x={width - pad} y={42} className="strip-label" textAnchor="end">
        {s.max}
      </text>
    </svg>
  );
}

export default function Registry() {
  const t = useT();
  const locale = useLocale();
  const { filter, facets, rows, more, statistics, sortIgnored } = useLoaderData<typeof loader>();
  const pageLink = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({
      category: filter.category,
      label: filter.labelType,
      company: filter.company,
      province: filter.province,
      sort: filter.sort,
    }))
      if (v) q.set(k, v);
    q.set("page", String(page));
    return `/registry?${q.toString()}`;
  };
  return (
    <div className="registry-page">
      <h1>{t("registry.title")}</h1>
      <p className="muted">{t("registry.lead")}</p>
      <Form method="get" className="card registry-filters" role="search">
        <div className="field">
          <label htmlFor="registry-category">{t("registry.category")}</label>
          <select id="registry-category" name="category" defaultValue={filter.category ?? ""}>
            <option value="">{t("registry.allCategories")}</option>
            {facets.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="registry-label">{t("registry.labelType")}</label>
          <select id="registry-label" name="label" defaultValue={filter.labelType ?? ""}>
            <option value="">{t("registry.allLabels")}</option>
            {LABEL_TYPE_CODES_CLIENT.map((code) => (
              <option key={code} value={code}>
                {t(`cert.label.${code}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="registry-company">{t("registry.company")}</label>
          <input id="registry-company" type="search" name="company" defaultValue={filter.company ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="registry-province">{t("registry.province")}</label>
          <select id="registry-province" name="province" defaultValue={filter.province ?? ""}>
            <option value="">{t("registry.allProvinces")}</option>
            {facets.provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="registry-sort">{t("registry.sort")}</label>
          <select id="registry-sort" name="sort" defaultValue={filter.sort}>
            <option value="newest">{t("registry.sort.newest")}</option>
            <option value="footprint">{t("registry.sort.footprint")}</option>
          </select>
        </div>
        <p className="registry-apply">
          <button type="submit">{t("registry.apply")}</button>
        </p>
      </Form>
      {sortIgnored ? (
        <p className="alert alert-warn" role="status">
          {t("registry.sortNeedsCategory")}
        </p>
      ) : null}

      <ListTable
        rows={rows}
        empty={<p className="card">{t("registry.none")}</p>}
        testId="registry-table"
        className="stack-on-phone"
        columns={[t("cert.number"), t("cert.product"), t("registry.company"), numeric(t("registry.valueColumn")), t("cert.validUntil")]}
        row={(r) => (
          <tr key={r.number}>
            <td>
              <Link to={`/verify/${encodeURIComponent(r.number)}`} className="nowrap">
                {r.number}
              </Link>
              <br />
              <span className="label-chip small" style={{ background: LABEL_COLOURS[r.labelType].main }}>
                {t(`cert.label.${r.labelType}` as MessageKey)}
              </span>
            </td>
            <td>
              {r.product}
              <br />
              <span className="muted small">{r.category}</span>
            </td>
            <td>
              {r.holder}
              <br />
              <span className="muted small">{r.province}</span>
            </td>
            <td className="num" data-testid="registry-value">
              {r.value} <span className="muted small">kgCO2e / {r.declaredUnit}</span>
              {r.grade ? (
                <>
                  <br />
                  <span className="muted small">
                    {t("cert.grade")} {r.grade}
                  </span>
                </>
              ) : null}
            </td>
            <td className="nowrap">
              <span className="phone-only">{t("cert.validUntil")} </span>
              {r.validUntil}
            </td>
          </tr>
        )}
      />
      <p className="muted small">{t("registry.source")}</p>
      <p className="button-row">
        {filter.page > 1 ? (
          <Link to={pageLink(filter.page - 1)} className="button secondary">
            {t("registry.previous")}
          </Link>
        ) : null}
        {more ? (
          <Link to={pageLink(filter.page + 1)} className="button secondary">
            {t("registry.next")}
          </Link>
        ) : null}
      </p>

      {statistics.length > 0 ? (
        <section aria-labelledby="stats-title">
          <h2 id="stats-title">{t("registry.stats")}</h2>
          <p className="muted small">{t("registry.statsLead")}</p>
          <div className="stats-grid">
            {statistics.map((s) => {
              const unit = `${s.declaredUnitQuantity} ${s.declaredUnit}`;
              const label = t("registry.stats.chart", { category: s.name, count: s.count, median: s.median, min: s.min, max: s.max, unit });
              return (
                <figure key={`${s.category}|${unit}`} className="card stat-card" data-testid="category-stat">
                  <figcaption>
                    {s.name} <span className="muted small">kgCO2e / {unit}</span>
                  </figcaption>
                  <DotStrip s={s} label={label} />
                  <dl className="stat-numbers">
                    <div>
                      <dt>{t("registry.stats.count")}</dt>
                      <dd>{s.count}</dd>
                    </div>
                    <div>
                      <dt>{t("registry.stats.median")}</dt>
                      <dd>{s.median}</dd>
                    </div>
                    <div>
                      <dt>{t("registry.stats.range")}</dt>
                      <dd>
                        {s.min}–{s.max}
                      </dd>
                    </div>
                  </dl>
                </figure>
              );
            })}
          </div>
        </section>
      ) : null}
      <p className="small muted" lang={locale}>
        <Link to="/verify">{t("verify.title")}</Link> ·{" "}
        <Link to="/api/v1/openapi.json" reloadDocument>
          {t("verify.openapiLink")}
        </Link>
      </p>
    </div>
  );
}

const LABEL_TYPE_CODES_CLIENT = ["CF", "LC", "RC", "CN"] as const;
