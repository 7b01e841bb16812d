/**
 * Horizontal bar charts drawn as SVG on the server: readable without JavaScript, printable, and
 * scaled by the browser. Negative values (credits, reductions) extend left of a zero line. Each
 * chart states its unit in its caption, and a screen reader hears every bar's label and value.
 */
import { useId } from "react";

export interface BarDatum {
  key: string;
  label: string;
  value: number;
  /** The value as shown (already rounded, without the unit). */
  display: string;
  /** Optional second figure after the value, e.g. "45.2 %". */
  note?: string;
  /** CSS colour of the bar; a default tone otherwise. */
  color?: string;
}

// Drawn at about the size it is shown in half the page, so 13-unit text reads as 13 px.
const WIDTH = 520;
const LABEL_END = 150;
const BAR_START = 158;
const BAR_END = 384;
const VALUE_END = WIDTH - 2;
const ROW = 28;
const BAR_HEIGHT = 16;
const TOP = 6;

/** Visual width of a label, counting CJK and full-width characters double. */
function visualWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** Shortens a label to fit the label column, marking the cut with an ellipsis. */
export function fitLabel(text: string, max = 22): string {
  if (visualWidth(text) <= max) return text;
  let out = "";
  for (const ch of text) {
    if (visualWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

export function BarChart({
  title,
  unit,
  data,
  tone = "#248f5a",
  negativeTone = "#7a9e8a",
  testId,
}: {
  title: string;
  unit: string;
  data: readonly BarDatum[];
  tone?: string;
  negativeTone?: string;
  testId?: string;
}) {
  const id = useId();
  const lo = Math.min(0, ...data.map((d) => d.value));
  const hi = Math.max(0, ...data.map((d) => d.value));
  const span = hi - lo || 1;
  const x = (v: number) => BAR_START + ((v - lo) / span) * (BAR_END - BAR_START);
  const zero = x(0);
  const height = TOP * 2 + data.length * ROW;
  const summary = data.map((d) => `${d.label}: ${d.display} ${unit}${d.note ? ` (${d.note})` : ""}`).join("; ");
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        {title} <span className="muted small">({unit})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        className="bar-chart"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-t`}>{`${title} (${unit})`}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {data.map((d, i) => {
          const y = TOP + i * ROW;
          const left = Math.min(x(d.value), zero);
          const width = Math.max(Math.abs(x(d.value) - zero), d.value === 0 ? 0 : 1);
          return (
            <g key={d.key} data-key={d.key} data-value={d.value}>
              <title>{`${d.label}: ${d.display} ${unit}${d.note ? ` (${d.note})` : ""}`}</title>
              <text x={LABEL_END} y={y + ROW / 2} textAnchor="end" dominantBaseline="central" className="chart-label">
                {fitLabel(d.label)}
              </text>
              <rect x={BAR_START} y={y + (ROW - BAR_HEIGHT) / 2} width={BAR_END - BAR_START} height={BAR_HEIGHT} rx={4} className="chart-track" />
              <rect
                x={left}
                y={y + (ROW - BAR_HEIGHT) / 2}
                width={width}
                height={BAR_HEIGHT}
                rx={4}
                fill={d.color ?? (d.value < 0 ? negativeTone : tone)}
              />
              <text x={VALUE_END} y={y + ROW / 2} textAnchor="end" dominantBaseline="central" className="chart-value">
                {d.display}
                {d.note ? <tspan className="chart-note">{` · ${d.note}`}</tspan> : null}
              </text>
            </g>
          );
        })}
        {lo < 0 ? <line x1={zero} x2={zero} y1={TOP - 2} y2={height - TOP + 2} className="chart-zero" /> : null}
      </svg>
    </figure>
  );
}

/** One colour per life-cycle stage, the same in every chart. */
export const STAGE_COLORS: Readonly<Record<string, string>> = {
  raw_material_acquisition: "#1f7a4d",
  raw_material_transport: "#3a7ca5",
  production: "#8a5a00",
  distribution: "#6b4c9a",
  use: "#b3561e",
  end_of_life: "#55625b",
};
