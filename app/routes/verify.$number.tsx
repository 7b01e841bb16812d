/**
 * /verify/{number} — the QR code's target: the certificate's verdict, what it says and the three
 * checks, readable on a phone in a few seconds, in Chinese or English. Posting a file here checks
 * that file (the PDF or signed JSON a buyer was handed) against the registry.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { NumberSearch, PublicLinks, UploadForm, VerificationResultView } from "../components/certificates/verification.tsx";
import { RateLimitedError, uploadCheckAction, verifyForPage } from "../services/certificates/pages.server.ts";
import { publicContext } from "../utils/auth.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { useT } from "../utils/i18n-react.ts";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded?.report.number ?? ""} 证书查验 Verify · CarbonLabel` },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { db, t, locale } = await publicContext(request);
  // The number (path) or a query parameter holding NUL: bad input, named, before any lookup or log row.
  refuseNulBytes(request, locale, { params: { number: params.number } });
  try {
    const { report, links, successor } = await verifyForPage(db, params.number ?? "", context);
    const { envelope: _envelope, ...view } = report;
    const status = report.verdict === "not_found" ? 404 : report.verdict === "invalid_number" ? 400 : 200;
    return data({ report: view, links, successor }, { status, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      throw new Response(t("verify.rateLimited", { seconds: error.retryAfterSeconds }), {
        status: 429,
        headers: { "Retry-After": String(error.retryAfterSeconds) },
      });
    }
    throw error;
  }
}

export function action(args: ActionFunctionArgs) {
  return uploadCheckAction(args);
}

export default function VerifyNumber() {
  const t = useT();
  const { report, links, successor } = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  return (
    <div className="verify-page">
      {submitted?.result ? (
        <section className="upload-result" data-testid="upload-result">
          <p className="muted small">{t("verify.uploadResult", { file: submitted.result.fileName })}</p>
          <VerificationResultView report={submitted.result.report} heading="h2" />
        </section>
      ) : null}
      <VerificationResultView report={report} heading={submitted?.result ? "h2" : "h1"} />
      {successor ? (
        <p className="card">
          {t("verify.successor")} <Link to={`/verify/${encodeURIComponent(successor)}`}>{successor}</Link>
        </p>
      ) : null}
      {links ? (
        <section className="card" aria-labelledby="downloads-title">
          <h2 id="downloads-title">{t("verify.downloads")}</h2>
          <ul className="download-list">
            <li>
              <a href={links.pdf}>{t("verify.download.pdf")}</a>
            </li>
            <li>
              <a href={links.json} download>
                {t("verify.download.json")}
              </a>
            </li>
            {report.status === "valid" ? (
              <>
                <li>
                  <a href={links.labelSvg}>{t("verify.download.labelSvg")}</a>
                </li>
                <li>
                  <a href={links.labelPng}>{t("verify.download.labelPng")}</a>
                </li>
              </>
            ) : null}
          </ul>
          <p className="small muted">
            {t("verify.machine")} <a href={links.api}>{t("verify.apiLink")}</a>
          </p>
        </section>
      ) : null}
      <UploadForm action={`/verify/${encodeURIComponent(report.number ?? "")}`} error={submitted?.error ?? undefined} />
      <section className="card">
        <h2>{t("verify.another")}</h2>
        <NumberSearch />
      </section>
      <PublicLinks />
    </div>
  );
}
