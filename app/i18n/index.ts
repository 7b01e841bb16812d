/**
 * Two languages, typed keys, no runtime loading: the dictionaries are small and both ship with the
 * page so switching language never waits for the network. zh-CN is the default.
 */
import { en } from "./en.ts";
import { zhCN, type MessageKey } from "./zh-CN.ts";

export type { MessageKey };
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export type MessageParams = Record<string, string | number>;
/** A message to show later in the user's language (field errors travel this way). */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

const dictionaries: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return value === "zh-CN" || value === "en";
}

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translate {
  const dictionary = dictionaries[locale];
  return (key, params) => {
    const template = dictionary[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
  };
}

/** Picks zh-CN or en from an Accept-Language header by quality; anything else falls back to zh-CN. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return DEFAULT_LOCALE;
}

/** Picks the zh or en variant of a bilingual value. */
export function pick<T>(locale: Locale, zh: T, english: T): T {
  return locale === "en" ? english : zh;
}
