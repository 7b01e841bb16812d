/**
 * The certificate font: Noto Sans SC (SIL OFL 1.1), full TrueType files from
 * @expo-google-fonts/noto-sans-sc. The PDF renderer embeds only the glyphs a certificate uses
 * (subsetting), so an 11 MB font becomes a few kilobytes per document.
 */
import { Font } from "@react-pdf/renderer";
import { createRequire } from "node:module";
import { LABEL_FONT_FAMILY } from "./label-mark.ts";
import { hanziHyphenation } from "./line-breaks.ts";

const require = createRequire(import.meta.url);

export const NOTO_SANS_SC = {
  regular: require.resolve("@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf"),
} as const;

/** The family name registered with the PDF renderer (the TrueType family name, as in the SVG). */
export const PDF_FONT_FAMILY = LABEL_FONT_FAMILY;

let registered = false;

/** Registers the font and the Chinese line-break rule with the PDF renderer, once per process. */
export function registerCertificateFonts(): void {
  if (registered) return;
  Font.register({
    family: PDF_FONT_FAMILY,
    fonts: [
      { src: NOTO_SANS_SC.regular, fontWeight: 400 },
      { src: NOTO_SANS_SC.bold, fontWeight: 700 },
    ],
  });
  Font.registerHyphenationCallback(hanziHyphenation);
  registered = true;
}
