import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "../components/form.tsx";
import { ProductForm } from "../components/product-form.tsx";
import { findProduct, productSchema, productValues } from "../services/products.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { parseForm } from "../utils/forms.ts";
import { notFound } from "../utils/http.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";

/** One product: its details (editable). Another organization's product answers 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const product = await findProduct(db, organizationId, params.productId);
  if (!product) throw notFound();
  return { product, saved: new URL(request.url).searchParams.has("saved") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:write:own");
  const product = await findProduct(db, organizationId, params.productId);
  if (!product) throw notFound();
  const parsed = parseForm(productSchema(), await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  await db
    .updateTable("products")
    .set({ ...productValues(parsed.data), updated_at: new Date() })
    .where("id", "=", product.id)
    .where("organization_id", "=", organizationId)
    .execute();
  throw redirect(`/products/${product.id}?saved`);
}

export default function ProductPage() {
  const { product, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{locale === "en" ? product.name_en : product.name_zh}</h1>
      {saved && !actionData ? <Notice>{t("products.saved")}</Notice> : null}
      <section className="card">
        <ProductForm state={actionData} defaults={product} submitLabel={t("products.save")} />
      </section>
    </>
  );
}
