/**
 * The footprint of an inventory as a person reads it: the total with its unit and basis, a bar
 * chart by stage, the ranking of top contributors, gases, fossil/biogenic, primary-data share and
 * data quality. Charts are SVG drawn on the server (charts.tsx): no chart library, readable
 * without JavaScript, every bar labelled with its value and unit for screen readers too. A line
 * whose figure is a supplier's own, unverified, says so wherever it is named. A result that leaves
 * out lines it cannot calculate (the editor's) is marked incomplete beside its total, with the
 * count and the lines, so a smaller figure is never taken for the whole footprint.
 */
import type { FootprintResult, PresentedFootprint } from "../../../rules/calculator/index.ts";
import { SUPPLIER_DECLARED_BOUNDARY } from "../../../rules/calculator/quality.ts";
import { formatPercent, roundToSignificant } from "../../../rules/format.ts";
import { STAGE_NAMES, type Stage } from "../../../rules/stages.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";
import { BarChart, STAGE_COLORS } from "./charts.tsx";
import { unusableLineText } from "./unusable-lines.ts";

export interface LineLabel {
  id: string;
  name: string;
}

const TOP_LINES = 8;

/**
 * `stages`: the PCR's system boundary; stages outside it are charted only when they hold emissions.
 * `lineAnchor`: where on the page a line is (its row), for the lines an incomplete result names.
 */
export function ResultPanel({
  result,
  presented,
  lineLabels,
  stages,
  lineAnchor,
}: {
  result: FootprintResult;
  presented: PresentedFootprint;
  lineLabels: LineLabel[];
  stages?: readonly string[];
  lineAnchor?: (lineId: string) => string | null;
}) {
  const t = useT();
  const locale = useLocale();
  const stageName = (stage: string) => STAGE_NAMES[stage as Stage]?.[locale === "en" ? "en" : "zh"] ?? stage;
  const declared = new Set(result.byLine.filter((l) => l.factor?.boundary === SUPPLIER_DECLARED_BOUNDARY).map((l) => l.lineId));
  const labelOf = (id: string) => {
    const name = lineLabels.find((l) => l.id === id)?.name ?? id;
    return declared.has(id) ? `${name}（${t("inv.supplierDeclared")}）` : name;
  };
  const contributing = result.byLine.filter((l) => l.kgCO2e !== 0);
  const top = [...contributing].sort((a, b) => Math.abs(b.kgCO2e) - Math.abs(a.kgCO2e)).slice(0, TOP_LINES);
  const unit = `kgCO₂e / ${presented.total.per}`;
  return (
    <section className="card result-panel" aria-labelledby="result-title" data-testid="result-panel">
      <h2 id="result-title">{t("res.title")}</h2>
      <p className="total">
        <span className="total-label">{t("res.total")}</span>
        <span className="total-value" data-testid="footprint-total">
          {presented.total.value}
        </span>{" "}
        <span className="total-unit">{unit}</span>
        {result.incomplete ? (
          <>
            {" "}
            <span className="tag tag-error" data-testid="result-incomplete">
              {t("res.incomplete")}
            </span>
          </>
        ) : null}
      </p>
      {result.incomplete ? (
        <div className="alert alert-error small" role="alert" data-testid="incomplete-note">
          <p>{t("res.incompleteNote", { count: result.incomplete.lines.length })}</p>
          <h3 className="sr-only">{t("res.incompleteLines")}</h3>
          <ul className="plain">
            {result.incomplete.lines.map((l) => {
              const name = lineLabels.find((label) => label.id === l.lineId)?.name ?? l.lineId;
              const href = lineAnchor?.(l.lineId) ?? null;
              const why = unusableLineText(l);
              return (
                <li key={`${l.productId}:${l.lineId}`}>
                  {href ? <a href={href}>{name}</a> : name}: {locale === "en" ? why.en : why.zh}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      <div className="result-grid">
        <BarChart
          title={t("res.byStage")}
          unit={unit}
          testId="stage-chart"
          data={result.byStage
            .map((s, i) => ({
              key: s.stage,
              label: stageName(s.stage),
              value: s.kgCO2e,
              display: presented.byStage[i]?.value.value ?? roundToSignificant(s.kgCO2e, 4),
              note: `${presented.byStage[i]?.sharePercent ?? formatPercent(s.share)} %`,
              color: STAGE_COLORS[s.stage],
            }))
            .filter((d) => !stages || stages.includes(d.key) || d.value !== 0)}
        />
        <BarChart
          title={t("res.top")}
          unit={unit}
          testId="contribution-chart"
          tone="#3a7ca5"
          data={top.map((l) => ({
            key: `${l.productId}:${l.lineId}`,
            label: labelOf(l.lineId),
            value: l.kgCO2e,
            display: roundToSignificant(l.kgCO2e, 4),
            note: `${formatPercent(l.share, 1)} %`,
          }))}
        />
      </div>
      {contributing.length > top.length ? <p className="muted small">{t("res.topOf", { shown: top.length, all: contributing.length })}</p> : null}
      <div className="result-grid">
        <dl className="facts">
          <dt>{t("res.fossil")}</dt>
          <dd>
            {presented.fossil.value} {unit}
          </dd>
          <dt>{t("res.biogenic")}</dt>
          <dd>
            {presented.biogenic.value} {unit}
          </dd>
          <dt>{t("res.primaryShare")}</dt>
          <dd>
            {presented.primaryDataSharePercent}%
            {declared.size > 0 ? (
              <span className="muted small" data-testid="supplier-declared-share">
                {" "}
                · {t("res.supplierDeclared", { count: declared.size })}
              </span>
            ) : null}
          </dd>
          <dt>{t("res.dqr")}</dt>
          <dd>
            {result.dataQuality.dqr.toFixed(2)} · {t(`dq.${result.dataQuality.rating}`)}
          </dd>
        </dl>
        <div>
          <h3>{t("res.byGas")}</h3>
          <ul className="plain">
            {presented.byGas.map((g) => (
              <li key={g.gas}>
                {g.gas}: {g.value.value} {unit}
                {g.mass ? ` (${g.mass.value} kg / ${presented.total.per})` : ""}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <h3>{t("res.versions")}</h3>
      <p className="small muted" data-testid="result-basis">
        PCR {result.stamp.pcr.code} v{result.stamp.pcr.version} · {t("inv.dataset")} {result.stamp.factorDataset.id}{" "}
        {result.stamp.factorDataset.version} · {result.stamp.gwpSet} GWP100 · {t("res.calculator")} {result.stamp.calculator.version} ·{" "}
        {t("res.inputHash")} {result.stamp.inputSha256.slice(0, 16)}…
      </p>
      {result.stamp.factorDataset.demonstration ? <p className="alert alert-warn small">{t("res.demoDataset")}</p> : null}
      {result.warnings.length > 0 ? (
        <>
          <h3>{t("res.warnings")}</h3>
          <ul className="small">
            {result.warnings.map((w) => (
              <li key={w.code + (w.lineIds?.join() ?? "")}>{locale === "en" ? w.message.en : w.message.zh}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
