/** Product categories a certification body can be accredited for: the PCR catalogue of rules/. */
import type { Locale } from "../i18n/index.ts";

export interface CategoryOption {
  code: string;
  name: string;
}

export function accreditableCategories(_locale: Locale): CategoryOption[] {
  return [];
}
