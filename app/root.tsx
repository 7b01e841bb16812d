import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { DEFAULT_LOCALE, translator, type Locale } from "./i18n/index.ts";
import stylesheet from "./styles.css?url";
import { getSessionUser } from "./utils/auth.server.ts";
// certification pages: unread notifications in the header
import { unreadNotificationCount } from "../workflows/cases/index.ts";
import { getDb } from "../db/client.ts";
import { useNonce } from "./utils/csp-nonce.ts";
import { useT } from "./utils/i18n-react.ts";
import { navigationFor } from "./utils/navigation.ts";
import { requestLocale } from "./utils/session.server.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "碳标识认证平台 CarbonLabel" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const user = await getSessionUser(request);
  return {
    locale,
    user: user
      ? {
          name: user.name,
          roles: user.roles,
          organization: locale === "en" ? user.organization.name_en : user.organization.name_zh,
        }
      : null,
    nav: user ? navigationFor(user.roles) : [],
    unread: user ? await unreadNotificationCount(await getDb(), user.id) : 0,
  };
}

type RootData = Awaited<ReturnType<typeof loader>>;

function LanguageSwitch({ locale }: { locale: Locale }) {
  const t = translator(locale);
  const location = useLocation();
  return (
    <Form method="post" action="/lang" className="inline-form">
      <input type="hidden" name="locale" value={locale === "en" ? "zh-CN" : "en"} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" className="button-link" lang={locale === "en" ? "zh-CN" : "en"} data-testid="language-switch">
        {t("lang.switchTo")}
      </button>
    </Form>
  );
}

function Header({ data }: { data: RootData | undefined }) {
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const t = translator(locale);
  return (
    <header className="site-header">
      <div className="header-row">
        <Link to={data?.user ? "/dashboard" : "/"} className="brand">
          <span className="brand-mark" aria-hidden="true">
            CO₂e
          </span>
          <span>{t("app.name")}</span>
        </Link>
        <div className="header-tools">
          {data?.user ? (
            <Link to="/notifications" data-testid="notifications-link" aria-label={t("notif.linkLabel", { count: data.unread })}>
              {t("notif.title")}
              {data.unread > 0 ? (
                <span className="tag" data-testid="unread-count">
                  {data.unread}
                </span>
              ) : null}
            </Link>
          ) : null}
          {/* certificates: the public side, for everyone */}
          <Link to="/verify">{t("nav.verify")}</Link>
          <Link to="/registry" className="hide-narrow">
            {t("nav.registry")}
          </Link>
          {/* the factor library: public reference data, like the registry; here unless the role's navigation has it */}
          {data?.nav.some((item) => item.to === "/factors") ? null : (
            <Link to="/factors" className="hide-narrow">
              {t("nav.factors")}
            </Link>
          )}
          <LanguageSwitch locale={locale} />
          {data?.user ? (
            <Form method="post" action="/logout" className="inline-form">
              <button type="submit" className="button-link">
                {t("nav.signOut")}
              </button>
            </Form>
          ) : (
            <Link to="/login">{t("nav.signIn")}</Link>
          )}
        </div>
      </div>
      {data?.user ? (
        <nav aria-label={t("nav.main")} className="main-nav" data-testid="role-nav">
          <ul>
            {data.nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{t(item.label)}</NavLink>
              </li>
            ))}
          </ul>
          <p className="who">
            {data.user.name} · {data.user.organization}
          </p>
        </nav>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const t = translator(locale);
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t("nav.skip")}
        </a>
        <Header data={data} />
        <main id="main" className="container">
          {children}
        </main>
        <footer className="site-footer container">
          <p>{t("footer.note")}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  let message = t("error.500");
  if (isRouteErrorResponse(error)) {
    // A 400's body is the bilingual explanation the route wrote for this request (field and rule).
    if (error.status === 400 && typeof error.data === "string" && error.data.trim()) message = error.data;
    else if (error.status === 403) message = t("error.403");
    else if (error.status === 404) message = t("error.404");
    else if (error.status === 409) message = t("error.409");
    else if (error.status === 429) message = t("error.429");
  }
  return (
    <section className="card error-page">
      <h1>{t("error.title")}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("error.back")}</Link>
      </p>
    </section>
  );
}
