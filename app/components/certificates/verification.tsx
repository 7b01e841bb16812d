/**
 * A verification result as a buyer reads it on a phone: first a coloured verdict with one
 * sentence, then what the certificate says (product, holder, label, value with its unit and
 * source, validity, issuer), then the three checks, each valid / invalid / unknown. An uploaded
 * PDF that is not the file the registry issued gets the registry's values beside its verdict:
 * what the file prints is not signed, so those are what it must be compared with.
 */
import { Form, Link } from "@remix-run/react";
import { LABEL_COLOURS } from "../../certificate-files/label-mark.ts";
import type { MessageKey } from "../../i18n/index.ts";
import type {
  CheckState,
  Checks,
  Difference,
  FileMatch,
  RegistryValues,
  Verdict,
  CertificateSummary,
} from "../../services/certificates/verify.server.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";
import { CERTIFICATE_CHECK_MAX_BYTES, megabytes } from "../../utils/upload-limits.ts";
import { DataTable } from "../data-table.tsx";

export interface ReportView {
  readonly verdict: Verdict;
  readonly checks: Checks;
  readonly number: string | null;
  readonly status: string | null;
  readonly statusChangedAt: string | null;
  readonly certificate: CertificateSummary | null;
  readonly differences: readonly Difference[];
  readonly fileMatch: FileMatch | null;
  readonly changedBytes: number | null;
  readonly registry: RegistryValues | null;
}

type Tone = "ok" | "warn" | "bad" | "neutral";

const TONES: Readonly<Record<Verdict, Tone>> = {
  valid: "ok",
  suspended: "warn",
  withdrawn: "bad",
  expired: "neutral",
  superseded: "neutral",
  not_found: "bad",
  invalid_number: "neutral",
  unsigned: "neutral",
  registry_mismatch: "bad",
  tampered: "bad",
  forged_signature: "bad",
  unknown_key: "warn",
  not_registered: "bad",
  wrong_issuer: "bad",
  key_not_valid_at_issue: "bad",
  issuer_not_accredited: "bad",
  unsupported_payload: "warn",
  malformed: "neutral",
  not_pdf: "neutral",
  no_signed_data: "neutral",
  // Someone changed the issued file: what it prints may be a lie.
  altered_copy: "bad",
  // Genuine data in another file (a re-render, a repaint): the printed values are unchecked.
  different_file: "warn",
};

/** The verdicts that are themselves the file's comparison (their sentence says it already). */
const FILE_VERDICTS: ReadonlySet<Verdict> = new Set<Verdict>(["altered_copy", "different_file"]);

const ICONS: Readonly<Record<Tone, string>> = { ok: "✓", warn: "!", bad: "✕", neutral: "?" };
const STATE_ICONS: Readonly<Record<CheckState, string>> = { valid: "✓", invalid: "✕", unknown: "?" };

export function VerdictBanner({ report, as = "h1" }: { report: ReportView; as?: "h1" | "h2" }) {
  const t = useT();
  const tone = TONES[report.verdict];
  const Heading = as;
  return (
    <section className={`verdict verdict-${tone}`} role="status" data-testid="verdict" data-verdict={report.verdict}>
      <span className="verdict-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <div>
        <Heading className="verdict-title">{t(`verify.verdict.${report.verdict}` as MessageKey)}</Heading>
        {report.number ? <p className="verdict-number">{report.number}</p> : null}
        <p className="verdict-text">{t(`verify.explain.${report.verdict}` as MessageKey, { count: report.changedBytes ?? 0 })}</p>
        {report.fileMatch && !FILE_VERDICTS.has(report.verdict) ? (
          <p className="verdict-text" data-testid="file-match" data-file-match={report.fileMatch}>
            {t(report.fileMatch === "issued" ? "verify.file.issued" : (`verify.explain.${report.fileMatch}` as MessageKey), {
              count: report.changedBytes ?? 0,
            })}
          </p>
        ) : null}
      </div>
    </section>
  );
}

export function CertificateFacts({
  certificate,
  status,
  statusChangedAt,
  claimed = false,
}: {
  certificate: CertificateSummary;
  status: string | null;
  statusChangedAt: string | null;
  claimed?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const pick = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const colour = LABEL_COLOURS[certificate.labelType];
  return (
    <section
      className="card cert-facts"
      aria-label={claimed ? t("verify.fileClaims") : t("verify.details")}
      data-testid={claimed ? "claimed-certificate" : "certificate"}
    >
      {claimed ? <p className="muted small">{t("verify.fileClaims")}</p> : null}
      <p className="label-chip" style={{ background: colour.main }}>
        {t(`cert.label.${certificate.labelType}` as MessageKey)}
        {certificate.grade ? ` · ${t("cert.grade")} ${certificate.grade}` : ""}
      </p>
      <h2 className="cert-product">{pick(certificate.product)}</h2>
      {certificate.model ? <p className="muted">{certificate.model}</p> : null}
      <p className="cert-value" data-testid="certificate-value">
        <span className="cert-value-number">{certificate.footprint.value}</span>{" "}
        <span className="cert-value-unit">
          kgCO2e / {certificate.declaredUnit.quantity} {certificate.declaredUnit.unit}
        </span>
      </p>
      <p className="muted small">{t("verify.valueSource", { issuer: certificate.issuer.code })}</p>
      <dl className="facts">
        <dt>{t("cert.holder")}</dt>
        <dd data-testid="certificate-holder">{pick(certificate.holder)}</dd>
        {status ? (
          <>
            <dt>{t("verify.check.status")}</dt>
            <dd>
              <span className={`status-tag status-${status}`} data-testid="certificate-status">
                {t(`certstatus.${status}` as MessageKey)}
              </span>
              {statusChangedAt ? <span className="muted small"> {t("verify.statusSince", { date: statusChangedAt.slice(0, 10) })}</span> : null}
            </dd>
          </>
        ) : null}
        <dt>{t("verify.validity")}</dt>
        <dd>{t("verify.validityRange", { from: certificate.issuedOn, until: certificate.validUntil })}</dd>
        <dt>{t("cert.issuer")}</dt>
        <dd>
          {pick(certificate.issuer)} ({certificate.issuer.code})
        </dd>
      </dl>
      <details className="cert-more">
        <summary>{t("verify.details")}</summary>
        <dl className="facts">
          <dt>{t("cert.number")}</dt>
          <dd className="nowrap">{certificate.number}</dd>
          <dt>{t("cert.pcr")}</dt>
          <dd>
            {pick(certificate.pcr)} · {certificate.pcr.code} {certificate.pcr.version}
          </dd>
          <dt>{t("cert.fingerprint")}</dt>
          <dd>
            <code>{certificate.fingerprint}</code>
          </dd>
          {certificate.keyId ? (
            <>
              <dt>{t("cert.keyId")}</dt>
              <dd>
                <code>{certificate.keyId}</code>
              </dd>
            </>
          ) : null}
        </dl>
      </details>
    </section>
  );
}

/** The registry's values for a certificate, beside a PDF that is not the issued file. */
export function RegistryValuesCard({ values }: { values: RegistryValues }) {
  const t = useT();
  const locale = useLocale();
  const pick = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  return (
    <section className="card cert-facts" aria-labelledby="registry-values-title" data-testid="registry-values">
      <h2 id="registry-values-title">{t("verify.registryValues")}</h2>
      <p className="muted small">{t("verify.registryValuesHint")}</p>
      <p className="cert-value" data-testid="registry-value">
        <span className="cert-value-number">{values.footprint.value}</span>{" "}
        <span className="cert-value-unit">
          {values.footprint.unit} / {values.declaredUnit.quantity} {values.declaredUnit.unit}
        </span>
      </p>
      <dl className="facts">
        <dt>{t("cert.number")}</dt>
        <dd className="nowrap" data-testid="registry-number">
          {values.number}
        </dd>
        <dt>{t("cert.holder")}</dt>
        <dd data-testid="registry-holder">{pick(values.holder)}</dd>
        <dt>{t("cert.product")}</dt>
        <dd data-testid="registry-product">
          {pick(values.product)}
          {values.model ? ` · ${values.model}` : ""}
        </dd>
        <dt>{t("verify.validity")}</dt>
        <dd>{t("verify.validityRange", { from: values.issuedOn, until: values.validUntil })}</dd>
        <dt>{t("verify.check.status")}</dt>
        <dd>
          <span className={`status-tag status-${values.status}`} data-testid="registry-status">
            {t(`certstatus.${values.status}` as MessageKey)}
          </span>
          <span className="muted small"> {t("verify.statusSince", { date: values.statusChangedAt.slice(0, 10) })}</span>
        </dd>
        <dt>{t("cert.issuer")}</dt>
        <dd>
          {pick(values.issuer)}
          {values.issuer.code ? ` (${values.issuer.code})` : ""}
        </dd>
      </dl>
    </section>
  );
}

export function ChecksList({ checks }: { checks: Checks }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="checks-title">
      <h2 id="checks-title">{t("verify.checks")}</h2>
      <ul className="verify-checks">
        {(["data", "status", "issuer"] as const).map((name) => (
          <li key={name} className={`verify-check state-${checks[name]}`} data-testid={`check-${name}`} data-state={checks[name]}>
            <span className="verify-check-icon" aria-hidden="true">
              {STATE_ICONS[checks[name]]}
            </span>
            <span className="verify-check-name">{t(`verify.check.${name}` as MessageKey)}</span>
            <span className="verify-check-state">{t(`verify.state.${checks[name]}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DifferencesTable({ differences }: { differences: readonly Difference[] }) {
  const t = useT();
  if (differences.length === 0) return null;
  return (
    <section className="card" aria-labelledby="differences-title">
      <h2 id="differences-title">{t("verify.differences")}</h2>
      <div className="table-wrap">
        <DataTable
          testId="differences"
          className="stack-on-phone"
          columns={[t("verify.diff.field"), t("verify.diff.file"), t("verify.diff.registry")]}
        >
          {differences.map((d) => (
            <tr key={d.path}>
              <th scope="row">
                <code>{d.path}</code>
              </th>
              <td className="diff-file">{d.file}</td>
              <td>{d.registry}</td>
            </tr>
          ))}
        </DataTable>
      </div>
    </section>
  );
}

/**
 * The whole result: verdict, what the certificate says, the checks, and for files what differs.
 * A PDF that is not the issued file shows the registry's values beside the verdict instead of the
 * embedded data (which is the same signed content, and not what the reader has to check).
 */
export function VerificationResultView({ report, heading = "h1" }: { report: ReportView; heading?: "h1" | "h2" }) {
  const claimed = !["valid", "suspended", "withdrawn", "expired", "superseded", "issuer_not_accredited", "unsigned"].includes(report.verdict);
  return (
    <>
      {report.registry ? (
        <div className="grid">
          <VerdictBanner report={report} as={heading} />
          <RegistryValuesCard values={report.registry} />
        </div>
      ) : (
        <VerdictBanner report={report} as={heading} />
      )}
      {report.certificate && !report.registry ? (
        <CertificateFacts
          certificate={report.certificate}
          status={claimed ? null : report.status}
          statusChangedAt={claimed ? null : report.statusChangedAt}
          claimed={claimed}
        />
      ) : null}
      <ChecksList checks={report.checks} />
      <DifferencesTable differences={report.differences} />
    </>
  );
}

/** The upload form: a certificate PDF or its signed JSON, checked and not kept. */
export function UploadForm({ action, error }: { action: string; error?: string }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{t("verify.uploadTitle")}</h2>
      <Form method="post" encType="multipart/form-data" action={action} className="stack" reloadDocument>
        <div className="field">
          <label htmlFor="verify-file">{t("verify.fileLabel")}</label>
          <input
            id="verify-file"
            type="file"
            name="file"
            accept=".pdf,.json,application/pdf,application/json"
            required
            aria-describedby="verify-file-hint"
            aria-invalid={error ? true : undefined}
          />
          <p className="hint" id="verify-file-hint">
            {t("verify.uploadHint", { max: megabytes(CERTIFICATE_CHECK_MAX_BYTES) })}
          </p>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <p>
          <button type="submit">{t("verify.check")}</button>
        </p>
      </Form>
    </section>
  );
}

export function NumberSearch({ value }: { value?: string }) {
  const t = useT();
  return (
    <Form method="get" action="/verify" className="verify-search" role="search">
      <label htmlFor="verify-number" className="sr-only">
        {t("verify.numberLabel")}
      </label>
      <input
        id="verify-number"
        type="search"
        name="number"
        defaultValue={value}
        placeholder={t("verify.numberHint")}
        autoCapitalize="characters"
        spellCheck={false}
        required
      />
      <button type="submit">{t("verify.search")}</button>
    </Form>
  );
}

export function PublicLinks() {
  const t = useT();
  return (
    <p className="small muted">
      {t("verify.machine")}{" "}
      <Link to="/api/v1/openapi.json" reloadDocument>
        {t("verify.openapiLink")}
      </Link>{" "}
      ·{" "}
      <Link to="/.well-known/carbonlabel-keys.json" reloadDocument>
        {t("verify.keysLink")}
      </Link>{" "}
      · <Link to="/registry">{t("verify.registryLink")}</Link>
    </p>
  );
}
