/**
 * Label mark files for packaging: PNG (rasterised with the embedded Noto Sans SC, so hanzi render
 * on any machine) and an outlined SVG whose text has been turned into paths, so a print shop
 * without the font reproduces it exactly. Both are deterministic and cached by content hash
 * (loading the font files makes a render take a few hundred milliseconds).
 */
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import { cacheKey, RenderCache } from "./cache.server.ts";
import { NOTO_SANS_SC } from "./fonts.server.ts";
import { LABEL_FONT_FAMILY, labelMark, labelMarkSvg, LABEL_MARK_PRINT_MM } from "./label-mark.ts";
import type { CertificatePayload } from "../../workflows/certificates/payload.ts";

/** Bump when the mark's drawing changes (part of the cache key). */
export const LABEL_MARK_VERSION = "1";

/** Default PNG width: 960 px, the 48 mm mark at about 500 dpi. */
export const LABEL_MARK_PNG_WIDTH = 960;

function options(fitTo: ResvgRenderOptions["fitTo"]): ResvgRenderOptions {
  return {
    // System fonts are never consulted: the result must not depend on the machine.
    font: {
      loadSystemFonts: false,
      fontFiles: [NOTO_SANS_SC.regular, NOTO_SANS_SC.bold],
      defaultFontFamily: LABEL_FONT_FAMILY,
      sansSerifFamily: LABEL_FONT_FAMILY,
    },
    fitTo,
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  };
}

const cache = new RenderCache<Uint8Array | string>(128);
const payloadKey = (payload: CertificatePayload) => labelMarkSvg(payload);

/** PNG of the label mark, `width` pixels wide. */
export async function labelMarkPng(payload: CertificatePayload, width = LABEL_MARK_PNG_WIDTH): Promise<Uint8Array> {
  if (!Number.isInteger(width) || width < 64 || width > 4096)
    throw new RangeError(`PNG width must be a whole number of pixels from 64 to 4096, got ${width}`);
  const svg = payloadKey(payload);
  const png = await cache.get(cacheKey("png", LABEL_MARK_VERSION, String(width), svg), () => {
    return new Uint8Array(new Resvg(svg, options({ mode: "width", value: width })).render().asPng());
  });
  return png as Uint8Array;
}

/** The label mark SVG with every glyph converted to a path (no font needed to display or print it). */
export async function labelMarkOutlinedSvg(payload: CertificatePayload): Promise<string> {
  const svg = payloadKey(payload);
  const outlined = await cache.get(cacheKey("outlined-svg", LABEL_MARK_VERSION, svg), () => {
    const title = labelMark(payload).title.replace(/[&<>]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[ch] ?? ch);
    // resvg writes the size in px; the print size in mm is what packaging artwork needs.
    return new Resvg(svg, options({ mode: "original" }))
      .toString()
      .replace(/^<svg width="[^"]*" height="[^"]*"/, `<svg width="${LABEL_MARK_PRINT_MM.width}mm" height="${LABEL_MARK_PRINT_MM.height}mm"`)
      .replace(/^(<svg[^>]*>)/, `$1\n    <title>${title}</title>`);
  });
  return outlined as string;
}
