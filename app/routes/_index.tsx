import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSessionUser } from "../utils/auth.server.ts";
import { useT } from "../utils/i18n-react.ts";

/** The public home page: what the four labels mean and who uses the platform. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return { signedIn: Boolean(user) };
}

const LABELS = ["CF", "LC", "RC", "CN"] as const;

export default function Home() {
  const { signedIn } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <section className="hero">
        <h1>{t("home.title")}</h1>
        <p>{t("home.lead")}</p>
        <p>
          <Link className="button" to={signedIn ? "/dashboard" : "/login"}>
            {signedIn ? t("home.goDashboard") : t("home.signIn")}
          </Link>
        </p>
      </section>
      <h2>{t("home.labels")}</h2>
      <div className="grid">
        {LABELS.map((code) => (
          <article key={code} className="card label-card">
            <h3>
              <span className="label-code">{code}</span> {t(`home.label.${code}.name`)}
            </h3>
            <p className="muted">{t(`home.label.${code}.text`)}</p>
          </article>
        ))}
      </div>
      <h2>{t("home.who")}</h2>
      <div className="grid">
        <p className="card">{t("home.who.manufacturer")}</p>
        <p className="card">{t("home.who.cb")}</p>
        <p className="card">{t("home.who.public")}</p>
      </div>
    </>
  );
}
