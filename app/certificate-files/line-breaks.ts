/**
 * Line-break opportunities for Chinese text in the PDF renderer. Its text engine breaks lines only
 * at spaces and at the "syllables" a hyphenation callback returns, so a run of hanzi with no space
 * would never wrap. This splits a space-free word between any two hanzi (and between hanzi and
 * Latin text) while keeping Latin runs, numbers and codes whole, and follows the basic kinsoku rules
 * of GB/T 15834: closing punctuation never starts a line, opening punctuation never ends one.
 */
const CJK = /[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;
const NO_LINE_START = new Set([..."，。、；：！？）》」』”’〉】〕…％%·—"]);
const NO_LINE_END = new Set([..."（《「『“‘〈【〔"]);

export function lineBreakParts(word: string): string[] {
  if (!CJK.test(word)) return [word];
  const parts: string[] = [];
  let current = "";
  let previous = "";
  for (const ch of word) {
    const breakable = current !== "" && (CJK.test(ch) || CJK.test(previous)) && !NO_LINE_START.has(ch) && !NO_LINE_END.has(previous);
    if (breakable) {
      parts.push(current);
      current = "";
    }
    current += ch;
    previous = ch;
  }
  if (current !== "") parts.push(current);
  return parts;
}

/**
 * The callback the PDF renderer is given. Its line breaker turns a boundary between two parts
 * into a hyphenation point and prints "-" when it breaks there; an empty part in between becomes
 * zero-width glue instead, a break that costs nothing and prints nothing, which is what a line
 * break between hanzi is.
 */
export function hanziHyphenation(word: string): string[] {
  const parts = lineBreakParts(word);
  if (parts.length < 2) return parts;
  return parts.flatMap((part, i) => (i === 0 ? [part] : ["", part]));
}
