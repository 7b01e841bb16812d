/**
 * /cases/drift — the certification body's drift queue, part of its surveillance
 * (docs/decisions/0018): its valid certificates whose footprint, recalculated on a newly published
 * factor dataset version, moves beyond the tolerance or cannot be calculated, the largest change
 * first, each with the lines that moved (the factor and its value in both versions, the line's
 * contribution certified and now). The certified result and the certificate are not changed.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatPercent, roundToSignificant } from "../../rules/format.ts";
import { STAGE_NAMES } from "../../rules/stages.ts";
import { driftQueue } from "../services/drift-queue.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "drift:read");
  return driftQueue(db, organizationId);
}

const kg = (value: number | null) => (value === null ? "—" : roundToSignificant(value, 4));

function signed(relative: number | null): string {
  if (relative === null) return "—";
  const text = `${formatPercent(relative, 2)} %`;
  return relative > 0 ? `+${text}` : text;
}

export default function DriftQueue() {
  const { count, items } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const pick = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const factorText = (f: { code: string; value: number | null; unit: string } | null) =>
    f ? `${f.code} ${f.value === null ? "—" : roundToSignificant(f.value, 4)}${f.unit ? ` / ${f.unit}` : ""}` : "—";
  return (
    <>
      <h1>{t("drift.title")}</h1>
      <p className="muted small">{t("drift.lead")}</p>
      <p data-testid="drift-count">
        <strong>{t("drift.count", { count })}</strong>
      </p>
      {items.length === 0 ? <p className="muted">{t("drift.none")}</p> : null}
      {items.map((item) => (
        <section className="card" key={item.id} data-testid="drift-item" data-certificate={item.certificate}>
          <h2>
            {item.certificate} · {pick(item.product)}
          </h2>
          <dl className="facts">
            <dt>{t("drift.col.holder")}</dt>
            <dd>{pick(item.holder)}</dd>
            <dt>{t("drift.col.dataset")}</dt>
            <dd>
              {item.dataset.id} {item.dataset.version} <code className="small">{item.dataset.sha256.slice(0, 12)}…</code>
            </dd>
            <dt>{t("drift.col.certified")}</dt>
            <dd>
              {kg(item.certified)} {t("drift.per", { unit: item.declaredUnit })} ({item.pcr})
            </dd>
            <dt>{t("drift.col.recalculated")}</dt>
            <dd data-testid="drift-recalculated">
              {item.recalculated === null ? "—" : `${kg(item.recalculated)} ${t("drift.per", { unit: item.declaredUnit })}`}
            </dd>
            <dt>{t("drift.col.change")}</dt>
            <dd data-testid="drift-change">
              <strong>{signed(item.relative)}</strong> ({t("drift.col.tolerance")} ±{formatPercent(item.tolerance, 1)} %)
            </dd>
          </dl>
          {item.error ? (
            <p className="alert alert-warn">
              {t("drift.cannotCalculate")} {pick(item.error)}
            </p>
          ) : null}
          {item.explanation.lines.length > 0 ? (
            <div className="table-wrap">
              <h3>{t("drift.lines")}</h3>
              <table>
                <thead>
                  <tr>
                    <th>{t("drift.col.line")}</th>
                    <th>{t("invds.col.stage")}</th>
                    <th>{t("drift.col.factor")}</th>
                    <th className="num">{t("drift.col.lineCertified")}</th>
                    <th className="num">{t("drift.col.lineRecalculated")}</th>
                    <th className="num">{t("drift.col.lineChange")}</th>
                  </tr>
                </thead>
                <tbody>
                  {item.explanation.lines.map((l) => (
                    <tr key={`${l.productId}/${l.lineId}`} data-testid="drift-line">
                      <td>{l.name ?? l.lineId}</td>
                      <td>{pick(STAGE_NAMES[l.stage])}</td>
                      <td className="small">
                        {factorText(l.factor.old)} → {factorText(l.factor.new)}
                      </td>
                      <td className="num">{kg(l.storedKgCO2e)}</td>
                      <td className="num">{kg(l.recalculatedKgCO2e)}</td>
                      <td className="num">
                        {l.changeKgCO2e > 0 ? "+" : ""}
                        {kg(l.changeKgCO2e)} ({signed(l.shareOfTotal)})
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {item.explanation.moreLines > 0 ? <p className="small muted">{t("drift.moreLines", { count: item.explanation.moreLines })}</p> : null}
              {item.explanation.unchangedLines > 0 ? (
                <p className="small muted">{t("drift.unchangedLines", { count: item.explanation.unchangedLines })}</p>
              ) : null}
            </div>
          ) : null}
          <p className="small">
            <Link to={`/cases/${item.caseId}`}>{t("drift.openCase")}</Link>
          </p>
        </section>
      ))}
    </>
  );
}
