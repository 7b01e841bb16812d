/**
 * The label mark printed on packaging and on the certificate: label type (zh/en) in the type's
 * colour, the verified footprint with its unit and declared unit, the grade if any, one
 * label-specific fact, and the certificate number. Drawn once as a list of shapes; the SVG
 * download and the PDF both render this list, so they cannot drift apart.
 */
import { translator } from "../i18n/index.ts";
import type { LabelType } from "../../rules/pcr/schema.ts";
import type { CertificatePayload } from "../../workflows/certificates/payload.ts";

const zh = translator("zh-CN");
const en = translator("en");

/** One colour per label type, distinct in hue and still distinct in greyscale print. */
export const LABEL_COLOURS: Readonly<Record<LabelType, { readonly main: string; readonly dark: string; readonly tint: string }>> = {
  CF: { main: "#2E7D32", dark: "#1B4D1F", tint: "#E8F5E9" },
  LC: { main: "#00838F", dark: "#004F56", tint: "#E0F7FA" },
  RC: { main: "#E65100", dark: "#8A3000", tint: "#FFF3E0" },
  CN: { main: "#1565C0", dark: "#0B3B75", tint: "#E3F2FD" },
};

/** Font stack: the embedded Noto Sans SC first (PNG, PDF), then what a viewer of the SVG may have. */
export const LABEL_FONT_FAMILY = "Noto Sans SC";
const SVG_FONT_STACK = "'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

export const LABEL_MARK_WIDTH = 240;
export const LABEL_MARK_HEIGHT = 300;
/** Printed size of the SVG: 48 mm × 60 mm. */
export const LABEL_MARK_PRINT_MM = { width: 48, height: 60 } as const;

export type MarkShape =
  | {
      readonly kind: "rect";
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly rx?: number;
      readonly fill: string;
      readonly stroke?: string;
      readonly strokeWidth?: number;
    }
  | { readonly kind: "path"; readonly d: string; readonly fill: string }
  | {
      readonly kind: "line";
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly stroke: string;
      readonly strokeWidth: number;
    }
  | {
      readonly kind: "text";
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly size: number;
      readonly weight: 400 | 700;
      readonly fill: string;
      readonly anchor: "start" | "middle" | "end";
    };

export interface LabelMark {
  readonly labelType: LabelType;
  readonly width: number;
  readonly height: number;
  readonly shapes: readonly MarkShape[];
  /** Plain-language description for `<title>` and alt text. */
  readonly title: string;
}

/** The one label-specific fact the mark carries, in both languages; null for CF. */
export function labelFact(payload: CertificatePayload): { zh: string; en: string } | null {
  const facts = payload.labelFacts;
  switch (facts.type) {
    case "CF":
      return null;
    case "LC": {
      const b = `${facts.benchmark.value} ${facts.benchmark.unit}`;
      return { zh: `≤ 基准值 ${b}`, en: `≤ benchmark ${b}` };
    }
    case "RC":
      return { zh: `较上一证书减排 ${facts.reductionPercent} %`, en: `${facts.reductionPercent} % below previous` };
    case "CN":
      return { zh: `声明期 ${facts.period.start} 至 ${facts.period.end}`, en: `claim period ${facts.period.start} – ${facts.period.end}` };
  }
}

// Advance widths of Noto Sans SC Bold in em: digits are tabular (0.59), the point is narrow.
function boldNumberWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += ch === "." ? 0.325 : ch === "-" ? 0.37 : 0.59;
  return em * size;
}

export function labelMark(payload: CertificatePayload): LabelMark {
  const type = payload.labelType;
  const c = LABEL_COLOURS[type];
  const W = LABEL_MARK_WIDTH;
  const H = LABEL_MARK_HEIGHT;
  const mid = W / 2;
  const band = 84;
  const r = 16;
  const shapes: MarkShape[] = [
    { kind: "rect", x: 2, y: 2, width: W - 4, height: H - 4, rx: r, fill: "#FFFFFF", stroke: c.main, strokeWidth: 4 },
    // Coloured head with rounded top corners only.
    { kind: "path", d: `M2 ${band}V${2 + r}A${r} ${r} 0 0 1 ${2 + r} 2H${W - 2 - r}A${r} ${r} 0 0 1 ${W - 2} ${2 + r}V${band}Z`, fill: c.main },
    { kind: "text", x: mid, y: 44, text: zh(`cert.label.${type}`), size: 27, weight: 700, fill: "#FFFFFF", anchor: "middle" },
    { kind: "text", x: mid, y: 68, text: en(`cert.label.${type}`).toUpperCase(), size: 11.5, weight: 700, fill: "#FFFFFF", anchor: "middle" },
  ];

  const value = payload.footprint.value;
  const valueSize = Math.min(50, (W - 40) / (boldNumberWidth(value, 1) || 1));
  shapes.push({ kind: "text", x: mid, y: 148, text: value, size: Math.round(valueSize * 10) / 10, weight: 700, fill: c.dark, anchor: "middle" });
  const per = `${payload.footprint.unit} / ${payload.declaredUnit.quantity} ${payload.declaredUnit.unit}`;
  shapes.push({ kind: "text", x: mid, y: 172, text: per, size: 14, weight: 400, fill: "#333333", anchor: "middle" });

  // Below the unit: the grade pill (with its demonstration note), then the label fact in two lines;
  // the worst case (all three) ends at 249, above the rule at 262.
  let y = 182;
  if (payload.grade) {
    const text = `${zh("cert.grade")} ${payload.grade.grade} · ${en("cert.grade")} ${payload.grade.grade}`;
    shapes.push({ kind: "rect", x: mid - 72, y, width: 144, height: 24, rx: 12, fill: c.tint, stroke: c.main, strokeWidth: 1.5 });
    shapes.push({ kind: "text", x: mid, y: y + 17, text, size: 13, weight: 700, fill: c.dark, anchor: "middle" });
    y += 30;
    if (payload.grade.demonstration) {
      shapes.push({
        kind: "text",
        x: mid,
        y: y + 7,
        text: `${zh("cert.demonstration")} · ${en("cert.demonstration")}`,
        size: 9,
        weight: 400,
        fill: "#666666",
        anchor: "middle",
      });
      y += 12;
    }
  }
  const fact = labelFact(payload);
  if (fact) {
    shapes.push({ kind: "text", x: mid, y: y + 12, text: fact.zh, size: 11, weight: 400, fill: "#333333", anchor: "middle" });
    shapes.push({ kind: "text", x: mid, y: y + 25, text: fact.en, size: 9.5, weight: 400, fill: "#555555", anchor: "middle" });
  }
  shapes.push({ kind: "line", x1: 20, y1: H - 38, x2: W - 20, y2: H - 38, stroke: c.main, strokeWidth: 1 });
  shapes.push({ kind: "text", x: mid, y: H - 17, text: payload.number, size: 12.5, weight: 700, fill: c.dark, anchor: "middle" });

  const title = `${zh(`cert.label.${type}`)} ${en(`cert.label.${type}`)}: ${value} ${per}${payload.grade ? `, ${en("cert.grade")} ${payload.grade.grade}` : ""}, ${payload.number}`;
  return { labelType: type, width: W, height: H, shapes, title };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[ch] ?? ch);
}

const n = (v: number) => String(Math.round(v * 100) / 100);

/** The label mark as a standalone SVG document (text as text; see label-mark.server.ts for outlines). */
export function labelMarkSvg(payload: CertificatePayload): string {
  const mark = labelMark(payload);
  const body = mark.shapes.map((s) => {
    switch (s.kind) {
      case "rect":
        return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.width)}" height="${n(s.height)}"${s.rx ? ` rx="${n(s.rx)}"` : ""} fill="${s.fill}"${s.stroke ? ` stroke="${s.stroke}" stroke-width="${n(s.strokeWidth ?? 1)}"` : ""}/>`;
      case "path":
        return `<path d="${s.d}" fill="${s.fill}"/>`;
      case "line":
        return `<line x1="${n(s.x1)}" y1="${n(s.y1)}" x2="${n(s.x2)}" y2="${n(s.y2)}" stroke="${s.stroke}" stroke-width="${n(s.strokeWidth)}"/>`;
      case "text":
        return `<text x="${n(s.x)}" y="${n(s.y)}" font-size="${n(s.size)}" font-weight="${s.weight}" fill="${s.fill}" text-anchor="${s.anchor}">${escapeXml(s.text)}</text>`;
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_MARK_PRINT_MM.width}mm" height="${LABEL_MARK_PRINT_MM.height}mm" viewBox="0 0 ${mark.width} ${mark.height}" font-family="${SVG_FONT_STACK}" role="img" aria-label="${escapeXml(mark.title)}">`,
    `<title>${escapeXml(mark.title)}</title>`,
    ...body,
    `</svg>`,
    "",
  ].join("\n");
}
