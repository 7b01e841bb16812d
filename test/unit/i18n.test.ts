import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en.ts";
import { localeFromAcceptLanguage, translator } from "../../app/i18n/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";

describe("i18n", () => {
  it("has an English text for every Chinese key and no empty texts", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(zhCN)]) expect(text, key).not.toBe("");
  });

  it("keeps the same placeholders in both languages", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it("fills placeholders", () => {
    expect(translator("en")("v.tooLong", { max: 200 })).toBe("At most 200 characters.");
    expect(translator("zh-CN")("v.tooLong", { max: 200 })).toBe("不能超过 200 个字符。");
  });

  it("picks the language from Accept-Language by quality, defaulting to Chinese", () => {
    expect(localeFromAcceptLanguage(null)).toBe("zh-CN");
    expect(localeFromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("fr-FR, en;q=0.5, zh-CN;q=0.8")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("de-DE")).toBe("zh-CN");
  });
});
