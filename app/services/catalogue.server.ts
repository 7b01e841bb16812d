/**
 * Product categories a certification body can be accredited for. A scope entry is a PCR code
 * (e.g. PCR-CN-CEMENT): one code is one product category with its own rules, across its versions.
 */
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import type { Locale } from "../i18n/index.ts";

export interface CategoryOption {
  code: string;
  name: string;
}

export function accreditableCategories(locale: Locale): CategoryOption[] {
  return PCR_CATALOGUE.list().map((pcr) => ({ code: pcr.code, name: locale === "en" ? pcr.name.en : pcr.name.zh }));
}
