/**
 * /factors/{code} — one emission factor: its value and unit, gases, GWP basis, boundary, source
 * (document, publisher, table, data year, transcription status), uncertainty where known, formula
 * and accounting-year convention where it has them, every dataset version that offers the code
 * with the value there, and, for a signed-in manufacturer, which of its own inventories use it.
 *
 * The URL names a code, not a version: a code names the same factor in every version that has it
 * (docs/decisions/0015), so one page shows them side by side; `?version=ID@version` chooses the
 * version shown in full (else the newest). The versions are the built-in ones and those the
 * platform admin has published. Public, like the library; the inventories are read only for the
 * viewer's own organization.
 */
import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { displayName, FactorValues, GwpBasisText, StatusBadge } from "../components/factors/factor-facts.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { canonicalFactorCode, factorDetail, factorHref, factorUsage } from "../services/factor-library.server.ts";
import { publicContext } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { rolesGrant } from "../utils/permissions.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded?.factor.code ?? ""} 排放因子 Emission factor · CarbonLabel` },
];

/** In the reader's language, and the inventories part depends on who is signed in. */
const PAGE_HEADERS = { "Cache-Control": "private, no-cache", Vary: "Accept-Language, Cookie" };

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, locale, user } = await publicContext(request);
  refuseNulBytes(request, locale, { params: { code: params.code } });
  const code = params.code ?? "";
  const url = new URL(request.url);
  const version = url.searchParams.get("version");
  const library = await factorLibrary(db);
  const factor = factorDetail(code, version, locale, library);
  if (!factor) {
    // A code typed in lower case is the same code: send the reader to its page.
    const canonical = canonicalFactorCode(code, library);
    if (canonical) throw redirect(factorHref(canonical, version ?? undefined), 301);
    throw notFound();
  }
  // The inventories are the organization's own business: shown to its people who may read its products, to no one else.
  const usage =
    user && rolesGrant(user.roles, "product:read:own")
      ? {
          organization: locale === "en" ? user.organization.name_en : user.organization.name_zh,
          ...(await factorUsage(db, user.organization.id, factor.code, locale)),
        }
      : null;
  return data({ factor, usage, signedIn: user !== null }, { headers: PAGE_HEADERS });
}

export default function FactorPage() {
  const t = useT();
  const locale = useLocale();
  const { factor, usage, signedIn } = useLoaderData<typeof loader>();
  const [name, otherName] = locale === "en" ? [factor.name.en, factor.name.zh] : [factor.name.zh, factor.name.en];
  const multiVersion = factor.versions.length > 1;
  return (
    <div className="factor-page">
      <p className="small">
        <Link to="/factors">← {t("factors.back")}</Link>
      </p>
      <h1>{displayName(name)}</h1>
      <p className="muted">
        <span lang={locale === "en" ? "zh-CN" : "en"}>{displayName(otherName)}</span> ·{" "}
        <code className="nowrap" data-testid="factor-code">
          {factor.code}
        </code>
      </p>
      <p className="small" data-testid="factor-shown">
        {t("factors.shownFrom", { dataset: factor.shown.label })}
      </p>

      <section className="card" aria-labelledby="factor-value-title">
        <h2 id="factor-value-title" className="sr-only">
          {t("factors.value")}
        </h2>
        <dl className="facts" data-testid="factor-facts">
          <dt>{t("factors.value")}</dt>
          <dd>
            <FactorValues values={factor.values} />
            {factor.biogenic !== null ? (
              <span className="muted small"> ({t("factors.biogenic", { value: factor.biogenic, unit: factor.values[0]?.unit ?? "" })})</span>
            ) : null}
          </dd>
          <dt>{t("factors.activityUnit")}</dt>
          <dd>
            {factor.activityUnit.symbol} <span className="muted small">{factor.activityUnit.name}</span>
          </dd>
          <dt>{t("factors.gases")}</dt>
          <dd>{factor.basis.kind === "co2e" ? t("factors.gasesAggregated") : factor.values.map((v) => v.gas).join(locale === "en" ? ", " : "、")}</dd>
          <dt>{t("factors.gwpBasis")}</dt>
          <dd data-testid="factor-basis">
            <GwpBasisText basis={factor.basis} />
          </dd>
          <dt>{t("factors.boundary")}</dt>
          <dd>{t(`factors.boundary.${factor.boundary}` as MessageKey)}</dd>
          <dt>{t("factors.category")}</dt>
          <dd>{factor.category}</dd>
          {factor.electricity ? (
            <>
              <dt>{t("factors.electricityKind")}</dt>
              <dd>{t(`factors.kind.${factor.electricity}` as MessageKey)}</dd>
            </>
          ) : null}
          <dt>{t("factors.region")}</dt>
          <dd>
            {factor.region.name} <span className="muted small">{factor.region.code}</span>
          </dd>
          <dt>{t("factors.dataYear")}</dt>
          <dd>{factor.year}</dd>
          <dt>{t("factors.status")}</dt>
          <dd>
            <StatusBadge status={factor.status} verify={factor.verify} />
            {factor.source.statusNote ? <span className="muted small"> · {factor.source.statusNote}</span> : null}
          </dd>
          <dt>{t("factors.uncertainty")}</dt>
          <dd>
            {factor.uncertainty
              ? t("factors.uncertaintyValue", {
                  rsd: factor.uncertainty.relativeSdPercent,
                  distribution: t(`factors.dist.${factor.uncertainty.distribution}` as MessageKey),
                })
              : t("factors.uncertaintyUnknown")}
          </dd>
          {factor.formula ? (
            <>
              <dt>{t("factors.formula")}</dt>
              <dd data-testid="factor-formula">
                {t("factors.formulaText", {
                  ...factor.formula,
                  value: factor.values[0]?.amount ?? "",
                  unit: factor.activityUnit.symbol,
                })}
              </dd>
            </>
          ) : null}
          {factor.yearConvention ? (
            <>
              <dt>{t("factors.yearConvention")}</dt>
              <dd>{factor.yearConvention}</dd>
            </>
          ) : null}
          {factor.note ? (
            <>
              <dt>{t("factors.note")}</dt>
              <dd lang="en">{factor.note}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="factor-source-title">
        <h2 id="factor-source-title">{t("factors.document")}</h2>
        <dl className="facts card" data-testid="factor-source">
          <dt>{t("factors.document")}</dt>
          <dd>{factor.source.document}</dd>
          <dt>{t("factors.publisher")}</dt>
          <dd>{factor.source.publisher}</dd>
          <dt>{t("factors.publicationYear")}</dt>
          <dd>{factor.source.year}</dd>
          {factor.source.table ? (
            <>
              <dt>{t("factors.table")}</dt>
              <dd>{factor.source.table}</dd>
            </>
          ) : null}
          {factor.source.clause ? (
            <>
              <dt>{t("factors.clause")}</dt>
              <dd>{factor.source.clause}</dd>
            </>
          ) : null}
          {factor.source.dataYear !== null ? (
            <>
              <dt>{t("factors.dataYear")}</dt>
              <dd>{factor.source.dataYear}</dd>
            </>
          ) : null}
          {factor.source.note ? (
            <>
              <dt>{t("factors.sourceNote")}</dt>
              <dd lang="en">{factor.source.note}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="factor-versions-title">
        <h2 id="factor-versions-title">{t("factors.versions")}</h2>
        {multiVersion ? <p className="muted small">{t("factors.versionsLead")}</p> : null}
        <div className="table-wrap">
          <table data-testid="factor-versions" className="stack-on-phone">
            <thead>
              <tr>
                <th scope="col">{t("factors.col.dataset")}</th>
                <th scope="col" className="num">
                  {t("factors.col.value")}
                </th>
                <th scope="col">{t("factors.gwpBasis")}</th>
                <th scope="col">{t("factors.status")}</th>
                <th scope="col">
                  <span className="sr-only">{t("factors.showVersion")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {factor.versions.map((v) => (
                <tr key={v.key} data-testid="factor-version" data-version={v.key}>
                  <td>
                    {v.label}
                    {v.demonstration ? <span className="muted small"> · {t("factors.demoDataset")}</span> : null}
                    {v.includedFrom ? (
                      <>
                        <br />
                        <span className="muted small">{t("factors.via", { dataset: v.includedFrom })}</span>
                      </>
                    ) : null}
                  </td>
                  <td className="num">
                    <FactorValues values={v.values} />
                  </td>
                  <td className="small">
                    <GwpBasisText basis={v.basis} />
                  </td>
                  <td>
                    <StatusBadge status={v.status} verify={v.verify} />
                  </td>
                  <td className="small">
                    {v.key === factor.shown.key ? (
                      <span className="muted">{t("factors.shown")}</span>
                    ) : (
                      <Link to={v.href} preventScrollReset>
                        {t("factors.showVersion")}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="factor-usage-title" data-testid="factor-usage">
        <h2 id="factor-usage-title">{t("factors.usage")}</h2>
        {usage === null ? (
          <p className="muted small">{signedIn ? t("factors.usageManufacturers") : t("factors.usageSignIn")}</p>
        ) : (
          <>
            <p className="muted small">{t("factors.usageLead", { organization: usage.organization, code: factor.code })}</p>
            {usage.rows.length === 0 ? (
              <p className="card" data-testid="factor-usage-none">
                {t("factors.usageNone")}
              </p>
            ) : (
              <div className="table-wrap">
                <table className="stack-on-phone">
                  <thead>
                    <tr>
                      <th scope="col">{t("factors.col.product")}</th>
                      <th scope="col">{t("factors.col.inventory")}</th>
                      <th scope="col">{t("factors.col.period")}</th>
                      <th scope="col">{t("factors.dataset")}</th>
                      <th scope="col" className="num">
                        {t("factors.col.lines")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {usage.rows.map((r) => (
                      <tr key={r.inventoryId} data-testid="factor-usage-row">
                        <td>
                          {r.product}
                          {r.model ? <span className="muted small"> · {r.model}</span> : null}
                        </td>
                        <td>
                          <Link to={r.href}>{t("factors.inventoryVersion", { version: r.version })}</Link>
                          {r.locked ? <span className="muted small"> · {t("factors.locked")}</span> : null}
                        </td>
                        <td className="nowrap">{r.period}</td>
                        <td>{r.dataset}</td>
                        <td className="num">{t("factors.lineCount", { count: r.lines })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {usage.more ? <p className="muted small">{t("factors.usageMore", { count: usage.limit })}</p> : null}
          </>
        )}
      </section>
    </div>
  );
}
