import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ProductForm } from "../components/product-form.tsx";
import { createProduct, pcrOptions, productSchema } from "../services/products.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { parseSubmission } from "../utils/forms.ts";
import { useT } from "../utils/i18n-react.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "product:write:own");
  return { pcrOptions: pcrOptions() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, organizationId, locale } = await requirePermission(request, "product:write:own");
  const formData = await readForm(request);
  // PostgreSQL text cannot hold NUL: a 400 naming the field, not a failed insert.
  refuseNulBytes(request, locale, { form: formData });
  const parsed = parseSubmission(formData, productSchema());
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const productId = await createProduct(db, organizationId, parsed.data);
  throw redirect(`/products/${productId}`);
}

export default function NewProduct() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const { pcrOptions } = useLoaderData<typeof loader>();
  return (
    <section className="card">
      <h1>{t("products.new")}</h1>
      <ProductForm state={actionData} submitLabel={t("products.save")} pcrOptions={pcrOptions} />
    </section>
  );
}
