/**
 * /verify — public certificate verification, no account: look a number up (the form sends the
 * visitor to /verify/{number}, the QR target) or upload the certificate PDF or its signed JSON
 * to check a file in hand.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { NumberSearch, PublicLinks, UploadForm, VerificationResultView } from "../components/certificates/verification.tsx";
import { uploadCheckAction } from "../services/certificates/pages.server.ts";
import { publicContext } from "../utils/auth.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { useT } from "../utils/i18n-react.ts";

export const meta: MetaFunction = () => [{ title: "证书查验 Verify a certificate · CarbonLabel" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { locale } = await publicContext(request);
  refuseNulBytes(request, locale);
  const number = new URL(request.url).searchParams.get("number")?.trim();
  if (number) throw redirect(`/verify/${encodeURIComponent(number.toUpperCase().slice(0, 64))}`);
  return null;
}

export function action(args: ActionFunctionArgs) {
  return uploadCheckAction(args);
}

export default function VerifyIndex() {
  const t = useT();
  const submitted = useActionData<typeof action>();
  return (
    <div className="verify-page">
      {submitted?.result ? (
        <>
          <p className="muted small">{t("verify.uploadResult", { file: submitted.result.fileName })}</p>
          <VerificationResultView report={submitted.result.report} />
        </>
      ) : (
        <>
          <h1>{t("verify.title")}</h1>
          <p className="muted">{t("verify.lead")}</p>
        </>
      )}
      <section className="card">
        <h2>{t("verify.numberLabel")}</h2>
        <NumberSearch />
      </section>
      <UploadForm action="/verify?index" error={submitted?.error ?? undefined} />
      <PublicLinks />
    </div>
  );
}
