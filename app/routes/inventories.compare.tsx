import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { roundToSignificant } from "../../rules/format.ts";
import { STAGE_NAMES, type Stage } from "../../rules/stages.ts";
import { BarChart, STAGE_COLORS } from "../components/footprint/charts.tsx";
import { compareFootprints, compareLines, loadSide, type LineField, type Side } from "../services/inventory-compare.server.ts";
import { findInventory, productInventories } from "../services/inventories.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import type { LineKindChoice } from "../utils/line-kinds.ts";
import { unitSymbol } from "../utils/unit-choices.ts";
import { DataTable, numeric } from "../components/data-table.tsx";

/**
 * GET /inventories/compare?a=&b= — two inventories of the same product side by side: totals, the
 * difference by stage (absolute with its unit, and in % of A), and lines added, removed, changed.
 * Either id of another organization answers 404, like a missing one.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const url = new URL(request.url);
  const a = await findInventory(db, organizationId, url.searchParams.get("a") ?? undefined);
  if (!a) throw notFound();
  const versions = await productInventories(db, organizationId, a.product_id);
  const bId = url.searchParams.get("b");
  const product = { id: a.product_id, name_zh: a.product_name_zh, name_en: a.product_name_en };
  if (!bId) return { product, versions, a: a.id, b: null, comparison: null, problem: null };
  const b = await findInventory(db, organizationId, bId);
  if (!b) throw notFound();
  if (b.product_id !== a.product_id) {
    return data({ product, versions, a: a.id, b: b.id, comparison: null, problem: "cmp.otherProduct" as const }, { status: 400 });
  }
  const [sideA, sideB] = await Promise.all([loadSide(db, organizationId, a), loadSide(db, organizationId, b)]);
  const summary = (side: Side) => ({
    id: side.inventory.id,
    version: side.inventory.version,
    period: `${side.inventory.period_start} – ${side.inventory.period_end}`,
    locked: Boolean(side.inventory.locked_at),
    lines: side.lines.length,
    total: side.result?.total ?? null,
    totalDisplay: side.result ? roundToSignificant(side.result.total, 4) : null,
    declaredUnit: side.result ? `${side.result.declaredUnit.quantity} ${side.result.declaredUnit.unit}` : null,
    stamp: side.result?.stamp ?? null,
    error: side.error,
  });
  return {
    product,
    versions,
    a: a.id,
    b: b.id,
    comparison: {
      sides: [summary(sideA), summary(sideB)] as const,
      footprint: compareFootprints(sideA.result, sideB.result),
      lines: compareLines(sideA.lines, sideB.lines),
    },
    problem: null,
  };
}

const FIELD_KEYS: Record<LineField, `cmp.field.${LineField}`> = {
  stage: "cmp.field.stage",
  kind: "cmp.field.kind",
  name: "cmp.field.name",
  amount: "cmp.field.amount",
  unit: "cmp.field.unit",
  factor: "cmp.field.factor",
  dataType: "cmp.field.dataType",
  dataQuality: "cmp.field.dataQuality",
  note: "cmp.field.note",
  details: "cmp.field.details",
};

/** Lines only one version has (added or removed), under a heading; nothing when there are none. */
function LineList<L extends { id: string }>({
  title,
  testId,
  lines,
  text,
}: {
  title: string;
  testId: string;
  lines: readonly L[];
  text: (line: L) => string;
}) {
  if (lines.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul data-testid={testId}>
        {lines.map((l) => (
          <li key={l.id}>{text(l)}</li>
        ))}
      </ul>
    </>
  );
}

export default function ComparePage() {
  const { product, versions, a, b, comparison, problem } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const text = (v: { zh: string; en: string }) => (locale === "en" ? v.en : v.zh);
  const stageName = (s: string) => text(STAGE_NAMES[s as Stage] ?? { zh: s, en: s });
  const versionLabel = (v: (typeof versions)[number]) =>
    `${v.period_start} – ${v.period_end} · ${t("inv.version")} ${v.version} · ${v.locked_at ? t("inv.locked") : t("inv.editable")}`;
  const unit = comparison?.sides[0].declaredUnit ? `kgCO₂e / ${comparison.sides[0].declaredUnit}` : "kgCO₂e";
  const lineText = (l: { name: string; amount: string | null; unit: string | null; stage: string; kind: string }) =>
    `${l.name} · ${stageName(l.stage)} · ${t(`inv.kind.${l.kind as LineKindChoice}`)}${l.amount ? ` · ${l.amount} ${unitSymbol(l.unit ?? "")}` : ""}`;
  return (
    <>
      <p className="small">
        <Link to={`/products/${product.id}`}>← {locale === "en" ? product.name_en : product.name_zh}</Link>
      </p>
      <h1>{t("cmp.title")}</h1>
      <section className="card">
        <Form method="get" className="compare-picker">
          {(
            [
              ["a", t("cmp.a"), a],
              ["b", t("cmp.b"), b ?? versions.find((v) => v.id !== a)?.id ?? a],
            ] as const
          ).map(([name, label, chosen]) => (
            <div className="field" key={name}>
              <label htmlFor={`field-${name}`}>{label}</label>
              <select id={`field-${name}`} name={name} defaultValue={chosen}>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {versionLabel(v)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div>
            <button type="submit">{t("cmp.submit")}</button>
          </div>
        </Form>
        {problem ? (
          <p className="alert alert-error" role="alert">
            {t(problem)}
          </p>
        ) : null}
      </section>
      {comparison ? (
        <>
          <section className="card" aria-labelledby="cmp-totals" data-testid="compare-totals">
            <h2 id="cmp-totals">{t("cmp.totals")}</h2>
            {!comparison.footprint.comparable && comparison.footprint.total ? <p className="alert alert-warn">{t("cmp.notComparable")}</p> : null}
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th />
                    {comparison.sides.map((s, i) => (
                      <th key={s.id} scope="col">
                        <Link to={`/inventories/${s.id}`}>
                          {i === 0 ? "A" : "B"} · {s.period} · {t("inv.version")} {s.version}
                        </Link>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">{t("res.total")}</th>
                    {comparison.sides.map((s) => (
                      <td key={s.id} className="num" data-testid="compare-total">
                        {s.error
                          ? `${t("res.error")}: ${text(s.error)}`
                          : s.totalDisplay === null
                            ? t("cmp.noLines")
                            : `${s.totalDisplay} kgCO₂e / ${s.declaredUnit}`}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">{t("inv.lines")}</th>
                    {comparison.sides.map((s) => (
                      <td key={s.id} className="num">
                        {s.lines}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">{t("res.versions")}</th>
                    {comparison.sides.map((s) => (
                      <td key={s.id} className="small muted">
                        {s.stamp
                          ? `PCR ${s.stamp.pcr.code} v${s.stamp.pcr.version} · ${s.stamp.factorDataset.id} ${s.stamp.factorDataset.version} · ${s.stamp.gwpSet} · ${t("res.calculator")} ${s.stamp.calculator.version} · ${s.stamp.inputSha256.slice(0, 12)}…`
                          : "—"}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          </section>
          {comparison.footprint.total ? (
            <section className="card" aria-labelledby="cmp-stages" data-testid="compare-stages">
              <h2 id="cmp-stages">{t("cmp.byStage")}</h2>
              <div className="table-wrap">
                <DataTable
                  columns={[t("inv.stage"), numeric(`A (${unit})`), numeric(`B (${unit})`), numeric(`B − A (${unit})`), numeric(t("cmp.percent"))]}
                >
                  {[
                    ...comparison.footprint.byStage.map((s) => ({ key: s.stage, label: stageName(s.stage), d: s })),
                    { key: "total", label: t("res.total"), d: comparison.footprint.total },
                  ].map(({ key, label, d }) => (
                    <tr key={key} data-stage={key} className={key === "total" ? "total-row" : undefined}>
                      <th scope="row">{label}</th>
                      <td className="num">{d.display.before}</td>
                      <td className="num">{d.display.after}</td>
                      <td className={`num ${d.delta > 0 ? "delta-up" : d.delta < 0 ? "delta-down" : ""}`} data-testid="stage-delta">
                        {d.display.delta}
                      </td>
                      <td className="num">{d.display.percent === null ? "—" : `${d.display.percent} %`}</td>
                    </tr>
                  ))}
                </DataTable>
              </div>
              <BarChart
                title={t("cmp.deltaChart")}
                unit={unit}
                tone="#b3261e"
                negativeTone="#248f5a"
                data={comparison.footprint.byStage.map((s) => ({
                  key: s.stage,
                  label: stageName(s.stage),
                  value: s.delta,
                  display: s.display.delta,
                  note: s.display.percent === null ? undefined : `${s.display.percent} %`,
                  color: s.delta === 0 ? STAGE_COLORS[s.stage] : undefined,
                }))}
              />
            </section>
          ) : null}
          <section className="card" aria-labelledby="cmp-lines" data-testid="compare-lines">
            <h2 id="cmp-lines">{t("cmp.lines")}</h2>
            <p className="muted small">
              {t("cmp.lineSummary", {
                added: comparison.lines.added.length,
                removed: comparison.lines.removed.length,
                changed: comparison.lines.changed.length,
                unchanged: comparison.lines.unchanged,
              })}
            </p>
            <LineList title={t("cmp.added")} testId="lines-added" lines={comparison.lines.added} text={lineText} />
            <LineList title={t("cmp.removed")} testId="lines-removed" lines={comparison.lines.removed} text={lineText} />
            {comparison.lines.changed.length > 0 ? (
              <>
                <h3>{t("cmp.changed")}</h3>
                <ul data-testid="lines-changed">
                  {comparison.lines.changed.map((c) => (
                    <li key={c.after.id}>
                      {c.after.name}
                      <ul className="small">
                        {c.changes.map((ch) => (
                          <li key={ch.field + ch.before}>
                            {t(FIELD_KEYS[ch.field])}: <del>{ch.before || "—"}</del> → <ins>{ch.after || "—"}</ins>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </>
      ) : null}
    </>
  );
}
