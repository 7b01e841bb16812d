/**
 * The footprint of an inventory as a person reads it: the total with its unit and basis, a bar
 * chart by stage, the top contributors, gases, fossil/biogenic, primary-data share and data quality.
 * Charts are plain SVG/CSS drawn on the server: no chart library, readable without JavaScript.
 */
import type { FootprintResult, PresentedFootprint } from "../../../rules/calculator/index.ts";
import { STAGE_NAMES, type Stage } from "../../../rules/stages.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";

export interface LineLabel {
  id: string;
  name: string;
}

function Bar({ share, tone = "stage" }: { share: number; tone?: "stage" | "line" }) {
  const width = Math.max(0, Math.min(100, share * 100));
  return (
    <span className={`bar bar-${tone}`} aria-hidden="true">
      <span style={{ width: `${width}%` }} />
    </span>
  );
}

export function ResultPanel({ result, presented, lineLabels }: { result: FootprintResult; presented: PresentedFootprint; lineLabels: LineLabel[] }) {
  const t = useT();
  const locale = useLocale();
  const stageName = (stage: string) => STAGE_NAMES[stage as Stage]?.[locale === "en" ? "en" : "zh"] ?? stage;
  const labelOf = (id: string) => lineLabels.find((l) => l.id === id)?.name ?? id;
  const top = [...result.byLine].filter((l) => l.kgCO2e !== 0).sort((a, b) => Math.abs(b.kgCO2e) - Math.abs(a.kgCO2e)).slice(0, 8);
  const unit = `kgCO₂e / ${presented.total.per}`;
  const maxStage = Math.max(...result.byStage.map((s) => Math.abs(s.kgCO2e)), 1e-30);
  const maxLine = Math.max(...top.map((l) => Math.abs(l.kgCO2e)), 1e-30);
  return (
    <section className="card result-panel" aria-labelledby="result-title" data-testid="result-panel">
      <h2 id="result-title">{t("res.title")}</h2>
      <p className="total">
        <span className="total-label">{t("res.total")}</span>
        <span className="total-value" data-testid="footprint-total">
          {presented.total.value}
        </span>{" "}
        <span className="total-unit">{unit}</span>
      </p>
      <div className="result-grid">
        <div>
          <h3>{t("res.byStage")}</h3>
          <table className="chart-table">
            <tbody>
              {result.byStage.map((s, i) => (
                <tr key={s.stage}>
                  <th scope="row">{stageName(s.stage)}</th>
                  <td className="bar-cell">
                    <Bar share={Math.abs(s.kgCO2e) / maxStage} />
                  </td>
                  <td className="num">{presented.byStage[i]?.value.value}</td>
                  <td className="num muted">{presented.byStage[i]?.sharePercent}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>{t("res.top")}</h3>
          <table className="chart-table">
            <tbody>
              {top.map((l) => (
                <tr key={`${l.productId}:${l.lineId}`}>
                  <th scope="row">{labelOf(l.lineId)}</th>
                  <td className="bar-cell">
                    <Bar share={Math.abs(l.kgCO2e) / maxLine} tone="line" />
                  </td>
                  <td className="num">{l.kgCO2e.toPrecision(4)}</td>
                  <td className="num muted">{(l.share * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
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
          <dd>{presented.primaryDataSharePercent}%</dd>
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
                {g.gas}: {g.value.value} kgCO₂e{g.mass ? ` (${g.mass.value} kg)` : ""}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <h3>{t("res.versions")}</h3>
      <p className="small muted" data-testid="result-basis">
        PCR {result.stamp.pcr.code} v{result.stamp.pcr.version} · {t("inv.dataset")} {result.stamp.factorDataset.id} {result.stamp.factorDataset.version} · {result.stamp.gwpSet} GWP100 ·{" "}
        {t("res.calculator")} {result.stamp.calculator.version} · {t("res.inputHash")} {result.stamp.inputSha256.slice(0, 16)}…
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
