/** The product form, shared by "new product" and the product page. */
import { Form } from "@remix-run/react";
import { useMemo } from "react";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { productFormSchema } from "../utils/product-forms.ts";
import { PROVINCES } from "../utils/provinces.ts";
import { FormErrors, SelectField, TextField, useValidatedForm, type FormState } from "./form.tsx";

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

export function ProductForm({
  state: submitted,
  defaults = {},
  submitLabel,
  pcrOptions,
}: {
  state?: FormState;
  defaults?: ProductDefaults;
  submitLabel: string;
  pcrOptions: PcrOption[];
}) {
  const t = useT();
  const locale = useLocale();
  const schema = useMemo(() => productFormSchema(pcrOptions.map((p) => p.code)), [pcrOptions]);
  const { state, formProps } = useValidatedForm({ id: "product-form", schema, submitted });
  const pcrs = pcrOptions.map((p) => ({ value: p.code, label: `${locale === "en" ? p.en : p.zh} (${p.code} v${p.version})` }));
  const provinces = PROVINCES.map((p) => ({ value: p.code, label: locale === "en" ? p.en : p.zh }));
  const labels = {
    nameZh: t("products.nameZh"),
    nameEn: t("products.nameEn"),
    model: t("products.model"),
    pcrCode: t("products.pcr"),
    siteRegion: t("products.site"),
    gtin: t("products.gtin"),
    internalCode: t("products.internalCode"),
    description: t("products.description"),
  };
  return (
    <>
      <FormErrors state={state} labels={labels} />
      <Form method="post" className="stack" {...formProps}>
        <input type="hidden" name="intent" value="save-product" />
        <TextField name="nameZh" label={labels.nameZh} state={state} defaultValue={defaults.name_zh} maxLength={200} />
        <TextField name="nameEn" label={labels.nameEn} state={state} defaultValue={defaults.name_en} maxLength={200} />
        <TextField name="model" label={labels.model} state={state} defaultValue={defaults.model} maxLength={200} />
        <SelectField name="pcrCode" label={labels.pcrCode} options={pcrs} state={state} defaultValue={defaults.pcr_code} />
        <SelectField name="siteRegion" label={labels.siteRegion} options={provinces} state={state} defaultValue={defaults.site_region} />
        <TextField name="gtin" label={labels.gtin} state={state} defaultValue={defaults.gtin} maxLength={14} />
        <TextField name="internalCode" label={labels.internalCode} state={state} defaultValue={defaults.internal_code} maxLength={100} />
        <TextField name="description" label={labels.description} state={state} defaultValue={defaults.description} maxLength={2000} />
        <div>
          <button type="submit">{submitLabel}</button>
        </div>
      </Form>
    </>
  );
}
