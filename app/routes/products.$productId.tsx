import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { toNumeric } from "../../db/decimal.ts";
import { conversionRatio } from "../../rules/units.ts";
import { Form, Link } from "@remix-run/react";
import { FormErrors, Notice, TextField, useValidatedForm } from "../components/form.tsx";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { createInventory, productInventories } from "../services/inventories.server.ts";
import { ProductForm } from "../components/product-form.tsx";
import { findProduct, pcrOptions, productSchema, updateProduct } from "../services/products.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { formValues, parseSubmission } from "../utils/forms.ts";
import { InventoryFormSchema } from "../utils/product-forms.ts";
import { notFound } from "../utils/http.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";

/** One product: its details (editable). Another organization's product answers 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const product = await findProduct(db, organizationId, params.productId);
  if (!product) throw notFound();
  const inventories = await productInventories(db, organizationId, product.id);
  const pcr = PCR_CATALOGUE.latest(product.pcr_code);
  return { product, inventories, pcrOptions: pcrOptions(), declaredUnit: pcr.declaredUnit, saved: new URL(request.url).searchParams.has("saved") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, organizationId, user, locale } = await requirePermission(request, "product:write:own");
  const product = await findProduct(db, organizationId, params.productId);
  if (!product) throw notFound();
  const formData = await readForm(request);
  // PostgreSQL text cannot hold NUL: a 400 naming the field, not a failed insert.
  refuseNulBytes(request, locale, { form: formData });
  if (formData.get("intent") === "create-inventory") {
    const parsed = parseSubmission(formData, InventoryFormSchema);
    if (!parsed.ok) return data({ intent: "create-inventory", errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      conversionRatio(parsed.data.productionUnit, PCR_CATALOGUE.latest(product.pcr_code).declaredUnit.unit);
    } catch {
      const expected = PCR_CATALOGUE.latest(product.pcr_code).declaredUnit.unit;
      return data(
        {
          intent: "create-inventory",
          errors: { productionUnit: { key: "v.unitMismatch" as const, params: { unit: parsed.data.productionUnit, expected } } },
          values: formValues(formData),
        },
        { status: 400 },
      );
    }
    const id = await createInventory(db, { organizationId, userId: user.id }, product, {
      periodStart: parsed.data.periodStart,
      periodEnd: parsed.data.periodEnd,
      productionQuantity: toNumeric(parsed.data.productionQuantity),
      productionUnit: parsed.data.productionUnit,
    });
    throw redirect(`/inventories/${id}`);
  }
  const parsed = parseSubmission(formData, productSchema());
  if (!parsed.ok) return data({ intent: "save-product", errors: parsed.errors, values: parsed.values }, { status: 400 });
  await updateProduct(db, organizationId, product.id, parsed.data);
  throw redirect(`/products/${product.id}?saved`);
}

export default function ProductPage() {
  const { product, saved, inventories, declaredUnit, pcrOptions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const { state: inventoryState, formProps: inventoryFormProps } = useValidatedForm({
    id: "new-inventory",
    schema: InventoryFormSchema,
    submitted: actionData?.intent === "create-inventory" ? actionData : undefined,
  });
  const productState = actionData?.intent === "save-product" ? actionData : undefined;
  const inventoryLabels = {
    periodStart: t("inv.periodStart"),
    periodEnd: t("inv.periodEnd"),
    productionQuantity: t("inv.production"),
    productionUnit: t("inv.productionUnit"),
  };
  return (
    <>
      <h1>{locale === "en" ? product.name_en : product.name_zh}</h1>
      {saved && !actionData ? <Notice>{t("products.saved")}</Notice> : null}
      <section className="card">
        <h2>{t("inv.list")}</h2>
        {inventories.length === 0 ? (
          <p className="muted">{t("inv.none")}</p>
        ) : (
          <ul>
            {inventories.map((inv) => (
              <li key={inv.id}>
                <Link to={`/inventories/${inv.id}`}>
                  {inv.period_start} – {inv.period_end} · {t("inv.version")} {inv.version}
                </Link>{" "}
                <span className="muted small">
                  {inv.pcr_code} v{inv.pcr_version} · {inv.production_quantity} {inv.production_unit} ·{" "}
                  {inv.locked_at ? t("inv.locked") : t("inv.editable")}
                </span>
              </li>
            ))}
          </ul>
        )}
        <h3>{t("inv.new")}</h3>
        <FormErrors state={inventoryState} labels={inventoryLabels} />
        <Form method="post" className="stack" {...inventoryFormProps}>
          <input type="hidden" name="intent" value="create-inventory" />
          <TextField name="periodStart" type="date" label={inventoryLabels.periodStart} state={inventoryState} />
          <TextField name="periodEnd" type="date" label={inventoryLabels.periodEnd} state={inventoryState} />
          <TextField name="productionQuantity" label={inventoryLabels.productionQuantity} state={inventoryState} />
          <TextField
            name="productionUnit"
            label={inventoryLabels.productionUnit}
            state={inventoryState}
            defaultValue={declaredUnit.unit}
            maxLength={20}
          />
          <div>
            <button type="submit">{t("inv.create")}</button>
          </div>
        </Form>
      </section>
      <section className="card">
        <ProductForm state={productState} defaults={product} submitLabel={t("products.save")} pcrOptions={pcrOptions} />
      </section>
    </>
  );
}
