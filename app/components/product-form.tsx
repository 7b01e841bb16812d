/** The product form, shared by "new product" and the product page. */
import { Form } from "@remix-run/react";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { PROVINCES } from "../utils/provinces.ts";
import { FormErrors, SelectField, TextField, type FormState } from "./form.tsx";

export interface ProductDefaults {
  name_zh?: string;
  name_en?: string;
  model?: string;
  pcr_code?: string;
  site_region?: string;
  description?: string;
  gtin?: string | null;
  internal_code?: string | null;
}

/** A PCR to choose from; the catalogue itself stays on the server (it is large). */
export interface PcrOption {
  code: string;
  version: string;
  zh: string;
  en: string;
}

export function ProductForm({ state, defaults = {}, submitLabel, pcrOptions }: { state?: FormState; defaults?: ProductDefaults; submitLabel: string; pcrOptions: PcrOption[] }) {
  const t = useT();
  const locale = useLocale();
  const pcrs = pcrOptions.map((p) => ({ value: p.code, label: `${locale === "en" ? p.en : p.zh} (${p.code} v${p.version})` }));
  const provinces = PROVINCES.map((p) => ({ value: p.code, label: locale === "en" ? p.en : p.zh }));
  return (
    <>
      <FormErrors state={state} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="save-product" />
        <TextField name="nameZh" label={t("products.nameZh")} state={state} defaultValue={defaults.name_zh} maxLength={200} />
        <TextField name="nameEn" label={t("products.nameEn")} state={state} defaultValue={defaults.name_en} maxLength={200} />
        <TextField name="model" label={t("products.model")} state={state} defaultValue={defaults.model} maxLength={200} />
        <SelectField name="pcrCode" label={t("products.pcr")} options={pcrs} state={state} defaultValue={defaults.pcr_code} />
        <SelectField name="siteRegion" label={t("products.site")} options={provinces} state={state} defaultValue={defaults.site_region} />
        <TextField name="gtin" label={t("products.gtin")} state={state} defaultValue={defaults.gtin} maxLength={14} />
        <TextField name="internalCode" label={t("products.internalCode")} state={state} defaultValue={defaults.internal_code} maxLength={100} />
        <TextField name="description" label={t("products.description")} state={state} defaultValue={defaults.description} maxLength={2000} />
        <div>
          <button type="submit">{submitLabel}</button>
        </div>
      </Form>
    </>
  );
}
