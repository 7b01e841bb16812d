import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listProducts, pcrOptions } from "../services/products.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { provinceName } from "../utils/provinces.ts";
import { ListTable } from "../components/data-table.tsx";

/** The manufacturer's products, with search and a PCR filter. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, organizationId, locale } = await requirePermission(request, "product:read:own");
  // A NUL in the search or the PCR filter would reach PostgreSQL (a 500); refuse it as bad input.
  refuseNulBytes(request, locale);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const pcrCode = url.searchParams.get("pcr") ?? "";
  const products = await listProducts(db, organizationId, { q, pcrCode: pcrCode || undefined });
  return { products, q, pcrCode, pcrs: pcrOptions() };
}

export default function Products() {
  const { products, q, pcrCode, pcrs } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const pcrName = (code: string) => {
    const pcr = pcrs.find((p) => p.code === code);
    return pcr ? (locale === "en" ? pcr.en : pcr.zh) : code;
  };
  return (
    <>
      <div className="title-row">
        <h1>{t("products.title")}</h1>
        <Link className="button" to="/products/new">
          {t("products.new")}
        </Link>
      </div>
      <Form method="get" className="filters card" role="search">
        <label className="sr-only" htmlFor="q">
          {t("products.search")}
        </label>
        <input id="q" type="search" name="q" defaultValue={q} placeholder={t("products.search")} maxLength={100} />
        <label className="sr-only" htmlFor="pcr">
          {t("products.filterPcr")}
        </label>
        <select id="pcr" name="pcr" defaultValue={pcrCode}>
          <option value="">
            {t("products.filterPcr")}: {t("products.allPcrs")}
          </option>
          {pcrs.map((p) => (
            <option key={p.code} value={p.code}>
              {locale === "en" ? p.en : p.zh}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          {t("products.filter")}
        </button>
      </Form>
      <ListTable
        rows={products}
        empty={<p className="card muted">{t("products.none")}</p>}
        card
        columns={[t("products.name"), t("products.model"), t("products.pcr"), t("org.province"), t("products.identifiers")]}
        row={(p) => (
          <tr key={p.id}>
            <td>
              <Link to={`/products/${p.id}`}>{locale === "en" ? p.name_en : p.name_zh}</Link>
            </td>
            <td>{p.model}</td>
            <td>{pcrName(p.pcr_code)}</td>
            <td>{provinceName(p.site_region, locale)}</td>
            <td className="small">{[p.gtin, p.internal_code].filter(Boolean).join(" · ")}</td>
          </tr>
        )}
      />
    </>
  );
}
