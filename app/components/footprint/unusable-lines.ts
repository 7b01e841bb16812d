/**
 * What the editor says about a line the calculation left out (`result.incomplete`): the
 * calculator's own located errors, worded in both languages. The page shows them on the line
 * itself, so the place each text starts with (product and line ids, ADR 0013) is dropped and the
 * member it names is kept: "排放因子代码：因子「…」…" / "Factor code: Factor "…" …".
 */
import type { UnusableLine } from "../../../rules/calculator/result.ts";

interface Bilingual {
  zh: string;
  en: string;
}

/** One error's text without the product and line it is located at. */
function withoutPlace(message: Bilingual, productId: string, lineId: string): Bilingual {
  const zhPlace = `产品「${productId}」清单行「${lineId}」`;
  const enPlace = `Product "${productId}", line "${lineId}"`;
  const zh = message.zh.startsWith(`${zhPlace}的`)
    ? message.zh.slice(zhPlace.length + 1)
    : message.zh.startsWith(`${zhPlace}：`)
      ? message.zh.slice(zhPlace.length + 1)
      : message.zh;
  const rest = message.en.startsWith(`${enPlace}, `)
    ? message.en.slice(enPlace.length + 2)
    : message.en.startsWith(`${enPlace}: `)
      ? message.en.slice(enPlace.length + 2)
      : message.en;
  return { zh, en: rest.charAt(0).toUpperCase() + rest.slice(1) };
}

/** Every error of a line left out, one text per language. */
export function unusableLineText(line: UnusableLine): Bilingual {
  const texts = line.errors.map((e) => withoutPlace(e.message, line.productId, line.lineId));
  return { zh: texts.map((t) => t.zh).join("；"), en: texts.map((t) => t.en).join("; ") };
}

/** The lines of one product (the inventory's own) left out, by line id, with what to show on each. */
export function unusableLinesOf(incomplete: { readonly lines: readonly UnusableLine[] } | undefined, productId: string): Record<string, Bilingual> {
  const byLine: Record<string, Bilingual> = {};
  for (const line of incomplete?.lines ?? []) if (line.productId === productId) byLine[line.lineId] = unusableLineText(line);
  return byLine;
}
