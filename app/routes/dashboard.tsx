import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../utils/auth.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { navigationFor } from "../utils/navigation.ts";
import type { MessageKey } from "../i18n/index.ts";
// certification pages: applications, labels and findings (manufacturer) or the inbox by role (CB)
import { CaseDashboardSection } from "../components/cases/dashboard-section.tsx";
import { caseDashboard } from "../services/cases/dashboard.server.ts";
import { productFootprints } from "../services/product-footprints.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, db, can } = await requirePermission(request, "dashboard:view");
  const products = can("product:read:own") ? await productFootprints(db, user.organization.id) : null;
  const cases = can("case:read")
    ? await caseDashboard(db, { id: user.id, organizationId: user.organization.id, kind: user.organization.kind, roles: user.roles })
    : null;
  return {
    products,
    cases,
    user: { name: user.name, roles: user.roles },
    organization: user.organization,
    links: navigationFor(user.roles).filter((item) => item.to !== "/dashboard"),
  };
}

const TASK_FOR_LINK: Record<string, MessageKey> = {
  "/org/profile": "dashboard.task.organization",
  "/org/members": "dashboard.task.members",
  "/admin/organizations": "dashboard.task.organizations",
  "/account": "dashboard.task.account",
};

export default function Dashboard() {
  const { user, organization, links, cases, products } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("dashboard.welcome", { name: user.name })}</h1>
      <div className="grid">
        <section className="card">
          <h2>{t("dashboard.organization")}</h2>
          <dl className="facts">
            <dt>{t("org.kind")}</dt>
            <dd>{t(`orgKind.${organization.kind}`)}</dd>
            <dt>{locale === "en" ? t("org.nameEn") : t("org.nameZh")}</dt>
            <dd>{locale === "en" ? organization.name_en : organization.name_zh}</dd>
            {organization.credit_code ? (
              <>
                <dt>{t("org.creditCode")}</dt>
                <dd>{organization.credit_code}</dd>
              </>
            ) : null}
            {organization.kind === "certification_body" ? (
              <>
                <dt>{t("org.approvalNumber")}</dt>
                <dd>{organization.cnca_approval_number}</dd>
                <dt>{t("dashboard.scope")}</dt>
                <dd>
                  {organization.accredited_categories.length
                    ? organization.accredited_categories.map((c) => (
                        <span className="tag" key={c}>
                          {c}
                        </span>
                      ))
                    : t("dashboard.scopeNone")}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
        <section className="card">
          <h2>{t("dashboard.roles")}</h2>
          <p>
            {user.roles.map((role) => (
              <span className="tag" key={role} data-testid="role-tag">
                {t(`role.${role}`)}
              </span>
            ))}
          </p>
          <h2>{t("dashboard.next")}</h2>
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <Link to={link.to}>{TASK_FOR_LINK[link.to] ? t(TASK_FOR_LINK[link.to]!) : t(link.label)}</Link>
              </li>
            ))}
          </ul>
        </section>
        {products ? (
          <section className="card" data-testid="dashboard-products">
            <h2>{t("dashboard.products")}</h2>
            {products.items.length === 0 ? <p className="muted">{t("dashboard.productsNone")}</p> : null}
            <ul className="plain">
              {products.items.map((p) => (
                <li key={p.productId} data-testid="dashboard-product">
                  <Link to={p.inventoryId ? `/inventories/${p.inventoryId}` : `/products/${p.productId}`}>
                    {locale === "en" ? p.name.en : p.name.zh}
                  </Link>
                  {" · "}
                  {p.value ? (
                    <>
                      <strong data-testid="dashboard-product-value">{p.value}</strong> {p.per}
                      <br />
                      <span className="small muted">
                        {p.period} · {p.basis}
                        {p.locked ? ` · ${t("dashboard.lockedHint")}` : ""}
                      </span>
                    </>
                  ) : (
                    <span className="muted">{p.inventoryId ? t("dashboard.noResult") : t("dashboard.noInventory")}</span>
                  )}
                </li>
              ))}
            </ul>
            {products.total > products.items.length ? (
              <p className="small">
                <Link to="/products">{t("dashboard.productsMore", { count: products.total })}</Link>
              </p>
            ) : null}
          </section>
        ) : null}
        {cases ? <CaseDashboardSection data={cases} /> : null}
      </div>
    </>
  );
}
