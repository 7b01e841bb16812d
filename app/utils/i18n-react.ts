import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { DEFAULT_LOCALE, translator, type Locale, type Message, type Translate } from "../i18n/index.ts";

/** The locale chosen by the root loader for this request. */
export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  return data?.locale ?? DEFAULT_LOCALE;
}

export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}

export function useMessage(): (message: Message | undefined) => string | undefined {
  const t = useT();
  return (message) => (message ? t(message.key, message.params) : undefined);
}
