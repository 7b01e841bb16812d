/**
 * What the case records about the product and the work done on it: the declared and verified
 * footprints (each with its unit and who stated it), the team, the inspection and verification
 * records, the certificate, and the label type's own data (earlier certificates for RC, the claim
 * and retired credits for CN).
 */
import { Link } from "@remix-run/react";
import type { CertificationContext } from "../../../workflows/certification/types.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";
import { ListTable, numeric } from "../data-table.tsx";
import { When } from "./when.tsx";

type Bi = { zh: string; en: string };

export interface CaseSummaryData {
  id: string;
  reference: string;
  labelType: string;
  labelName: Bi;
  product: Bi & { id: string };
  applicant: Bi;
  cb: Bi & { code: string | null };
  pcr: { code: string; version: string };
  declaredValue: string;
  declaredUnit: { quantity: string; unit: string };
  createdAt: Date | string;
  certificate: { number: string; status: string; issuedOn: string; validUntil: string; verifiedValue: string; grade: string | null } | null;
  credits: ReadonlyArray<{
    registry: string;
    programme: string;
    serial_prefix: string;
    first: number;
    last: number;
    vintage: number;
    retired_on: string;
  }>;
  renewsCaseId: string | null;
}

const CERT_STATUS_KEYS: Record<string, MessageKey> = {
  valid: "case.cert.valid",
  suspended: "case.cert.suspended",
  withdrawn: "case.cert.withdrawn",
  expired: "case.cert.expired",
  superseded: "case.cert.superseded",
};

export function CaseSummary({
  summary,
  context,
  people,
  inventory,
  per,
}: {
  summary: CaseSummaryData;
  context: CertificationContext;
  people: Record<string, string>;
  inventory: { id: string; version: number; periodStart: string; periodEnd: string; production: string } | null;
  per: string;
}) {
  const t = useT();
  const locale = useLocale();
  const text = (b: Bi) => (locale === "en" ? b.en : b.zh);
  const name = (id: string | null) => (id ? (people[id] ?? id) : t("case.unassigned"));
  const unit = `kgCO₂e / ${per}`;
  return (
    <section className="card" aria-labelledby="summary-title" data-testid="case-summary">
      <h2 id="summary-title">{t("case.summary")}</h2>
      <dl className="facts">
        <dt>{t("case.label")}</dt>
        <dd>
          {summary.labelType} · {text(summary.labelName)}
        </dd>
        <dt>{t("case.product")}</dt>
        <dd>{text(summary.product)}</dd>
        <dt>{t("case.applicant")}</dt>
        <dd>{text(summary.applicant)}</dd>
        <dt>{t("case.cb")}</dt>
        <dd>
          {text(summary.cb)}
          {summary.cb.code ? ` (${summary.cb.code})` : ""}
        </dd>
        <dt>{t("inv.pcr")}</dt>
        <dd>
          {summary.pcr.code} v{summary.pcr.version} · {t("case.declaredUnit")} {per}
        </dd>
        <dt>{t("case.inventory")}</dt>
        <dd>
          {inventory
            ? `${inventory.periodStart} – ${inventory.periodEnd} · ${t("inv.version")} ${inventory.version} · ${t("inv.production")} ${inventory.production}`
            : "—"}
        </dd>
        <dt>{t("case.declaredValue")}</dt>
        <dd data-testid="declared-value">
          {summary.declaredValue} {unit} <span className="muted small">{t("case.declaredSource")}</span>
        </dd>
        <dt>{t("case.verifiedValue")}</dt>
        <dd data-testid="verified-value">
          {context.verification ? (
            <>
              {context.verification.kgCO2ePerDeclaredUnit} {unit}{" "}
              <span className="muted small">
                {t("case.verifiedSource", { name: name(context.verification.by) })} · <When at={context.verification.at} />
              </span>
            </>
          ) : (
            t("case.notYet")
          )}
        </dd>
        <dt>{t("case.onsite")}</dt>
        <dd>{context.onsiteRequired || context.labelType === "RC" ? t("case.onsiteRequired") : t("case.onsiteNotRequired")}</dd>
        <dt>{t("case.team")}</dt>
        <dd data-testid="case-team">
          {t("case.f.reviewer")}: {name(context.team.reviewer)} · {t("case.f.inspector")}: {name(context.team.inspector)} · {t("case.f.verifier")}:{" "}
          {name(context.team.verifier)} · {t("case.f.decider")}: {name(context.team.decider)}
        </dd>
        <dt>{t("case.opened")}</dt>
        <dd>
          <When at={summary.createdAt} />
          {summary.renewsCaseId ? (
            <>
              {" · "}
              <Link to={`/cases/${summary.renewsCaseId}`}>{t("case.renews")}</Link>
            </>
          ) : null}
        </dd>
        {summary.certificate ? (
          <>
            <dt>{t("case.certificate")}</dt>
            <dd data-testid="certificate">
              <strong data-testid="certificate-number">{summary.certificate.number}</strong> ·{" "}
              {t(CERT_STATUS_KEYS[summary.certificate.status] ?? "case.cert.valid")} ·{" "}
              {t("case.cert.validity", { from: summary.certificate.issuedOn, until: summary.certificate.validUntil })} ·{" "}
              {summary.certificate.verifiedValue} {unit}
              {summary.certificate.grade ? ` · ${t("case.grade")} ${summary.certificate.grade}` : ""}
            </dd>
          </>
        ) : context.certificate ? (
          <>
            <dt>{t("case.certificate")}</dt>
            <dd>{t("case.cert.pending", { until: context.certificate.validUntil })}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** The inspection and verification records, as the inspector and the verifier entered them. */
export function AssessmentRecords({ context, people, per }: { context: CertificationContext; people: Record<string, string>; per: string }) {
  const t = useT();
  const name = (id: string) => people[id] ?? id;
  const inspection = context.inspection;
  const verification = context.verification;
  return (
    <section className="card" aria-labelledby="records-title" data-testid="records">
      <h2 id="records-title">{t("case.records")}</h2>
      <h3>{t("case.review")}</h3>
      <p>
        {context.reviewCompleted ? (
          <>
            {t("case.reviewDone", { name: name(context.reviewCompleted.by) })} · <When at={context.reviewCompleted.at} />
          </>
        ) : (
          t("case.notYet")
        )}
      </p>
      <h3>{t("case.inspection")}</h3>
      {inspection ? (
        <dl className="facts" data-testid="inspection-record">
          <dt>{t("case.f.inspectionDate")}</dt>
          <dd>{inspection.date}</dd>
          <dt>{t("case.f.site")}</dt>
          <dd>{inspection.site}</dd>
          <dt>{t("case.f.attendees")}</dt>
          <dd>{inspection.attendees.length > 0 ? inspection.attendees.join("、") : "—"}</dd>
          <dt>{t("case.f.observations")}</dt>
          <dd style={{ whiteSpace: "pre-line" }}>{inspection.observations}</dd>
          <dt>{t("case.recordedBy")}</dt>
          <dd>
            {name(inspection.by)} · <When at={inspection.at} />
          </dd>
        </dl>
      ) : (
        <p className="muted">{context.onsiteRequired || context.labelType === "RC" ? t("case.notYet") : t("case.onsiteNotRequired")}</p>
      )}
      <h3>{t("case.verification")}</h3>
      {verification ? (
        <dl className="facts" data-testid="verification-record">
          <dt>{t("case.verifiedValue")}</dt>
          <dd>
            {verification.kgCO2ePerDeclaredUnit} kgCO₂e / {per}
          </dd>
          <dt>{t("case.h.note")}</dt>
          <dd>{verification.note ?? "—"}</dd>
          <dt>{t("case.recordedBy")}</dt>
          <dd>
            {name(verification.by)} · <When at={verification.at} />
          </dd>
        </dl>
      ) : (
        <p className="muted">{t("case.notYet")}</p>
      )}
    </section>
  );
}

/** RC: the earlier footprint certificates of the product found when the application was opened. */
export function EarlierCertificates({ context, per }: { context: CertificationContext; per: string }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="earlier-title" data-testid="earlier-certificates">
      <h2 id="earlier-title">{t("case.earlier")}</h2>
      <p>{t("case.earlierCount", { count: context.earlierCertificates.length })}</p>
      {context.earlierCertificates.length > 0 ? (
        <ul>
          {context.earlierCertificates.map((c) => (
            <li key={c.number}>
              {c.number} · {c.verifiedValue} kgCO₂e / {c.declaredUnit.quantity} {c.declaredUnit.unit} · {c.pcrCode} ·{" "}
              {t("case.issuedOn", { date: c.issuedOn })}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted small">{t("case.earlierRule", { per })}</p>
    </section>
  );
}

/** CN: the claim period and quantity, and every retired credit batch (its serials are unique platform-wide). */
export function NeutralityClaim({ context, credits, per }: { context: CertificationContext; credits: CaseSummaryData["credits"]; per: string }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="claim-title" data-testid="neutrality-claim">
      <h2 id="claim-title">{t("case.claim")}</h2>
      <p>
        {context.claim
          ? t("case.claimText", { start: context.claim.period.start, end: context.claim.period.end, quantity: context.claim.quantity, per })
          : t("case.claimMissing")}
      </p>
      <h3>{t("case.credits")}</h3>
      <ListTable
        rows={credits}
        empty={<p className="muted">{t("case.noCredits")}</p>}
        columns={[
          t("case.f.registry"),
          t("case.f.programme"),
          t("case.serials"),
          numeric(t("case.creditCount")),
          t("case.f.vintage"),
          t("case.f.retiredOn"),
        ]}
        row={(c) => (
          <tr key={`${c.registry}:${c.serial_prefix}:${c.first}`}>
            <td>{c.registry}</td>
            <td>{c.programme}</td>
            <td>
              {c.serial_prefix}
              {c.first} – {c.serial_prefix}
              {c.last}
            </td>
            <td className="num">{Number(c.last) - Number(c.first) + 1} t CO₂e</td>
            <td>{c.vintage}</td>
            <td>{c.retired_on}</td>
          </tr>
        )}
      />
    </section>
  );
}
