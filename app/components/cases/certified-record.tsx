/**
 * What the body assesses (ADR 0014): the product and holder as the applicant submitted them, and
 * the result stored when the application locked its inventory, with its stamp. When today's
 * calculator gives another figure or stamp for the same inventory, both are shown with the
 * difference; the case, the decision and the certificate keep using the stored result.
 */
import { Fragment } from "react";
import type { MessageKey } from "../../i18n/index.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";
import type { CertifiedRecord, StampFacts } from "../../services/cases/certified-record.server.ts";
import { When } from "./when.tsx";
import { DataTable } from "../data-table.tsx";

const STAMP_LABELS: Record<keyof StampFacts, MessageKey> = {
  calculator: "case.record.calculator",
  pcr: "case.record.pcr",
  pcrContentSha256: "case.record.pcrHash",
  factorDataset: "case.record.dataset",
  factorDatasetContentSha256: "case.record.datasetHash",
  gwpSet: "case.record.gwp",
  inputSha256: "case.record.inputHash",
};

/** Hashes are long: the first 12 hex digits name them on a page, the title holds the whole. */
function Hash({ value }: { value: string | null }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <code className="hash" title={value}>
      {value.slice(0, 12)}…
    </code>
  );
}

function StampValue({ name, value }: { name: keyof StampFacts; value: string | null }) {
  return name.endsWith("Sha256") ? <Hash value={value} /> : <>{value ?? "—"}</>;
}

type Serialised<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Serialised<T[K]> } : T;

export function CertifiedRecordPanel({ record, per }: { record: Serialised<CertifiedRecord> | CertifiedRecord; per: string }) {
  const t = useT();
  const locale = useLocale();
  const unit = `kgCO₂e / ${per}`;
  const { identity, stored, comparison } = record;
  return (
    <section className="card" aria-labelledby="record-title" data-testid="certified-record">
      <h2 id="record-title">{t("case.record.title")}</h2>
      <p className="muted small">{t("case.record.intro")}</p>
      {identity ? (
        <dl className="facts" data-testid="case-identity">
          <dt>{t("case.record.product")}</dt>
          <dd>
            {locale === "en" ? identity.product.nameEn : identity.product.nameZh}
            {identity.product.model ? ` · ${t("case.record.model")} ${identity.product.model}` : ""}
          </dd>
          <dt>{t("case.record.identifiers")}</dt>
          <dd>
            {identity.product.gtin ? `GTIN ${identity.product.gtin}` : t("case.record.noGtin")}
            {identity.product.internalCode ? ` · ${t("case.record.internalCode")} ${identity.product.internalCode}` : ""}
          </dd>
          <dt>{t("case.record.site")}</dt>
          <dd>
            {identity.product.siteProvince
              ? locale === "en"
                ? identity.product.siteProvince.en
                : identity.product.siteProvince.zh
              : identity.product.siteRegion}
          </dd>
          <dt>{t("case.record.holder")}</dt>
          <dd>
            {locale === "en" ? identity.holder.nameEn : identity.holder.nameZh}
            {" · "}
            {identity.holder.creditCode ? `${t("cert.creditCode")} ${identity.holder.creditCode}` : t("case.record.noCreditCode")}
          </dd>
          <dt>{t("case.record.asOf")}</dt>
          <dd>{record.submittedAt ? <When at={record.submittedAt} /> : t("case.record.draftIdentity")}</dd>
        </dl>
      ) : null}
      {stored?.result ? (
        <>
          <h3>{t("case.record.stored")}</h3>
          <dl className="facts" data-testid="stored-result">
            <dt>{t("case.record.total")}</dt>
            <dd data-testid="stored-total">
              {stored.presented?.total.exact ?? String(stored.result.total)} {unit}
            </dd>
            {(Object.keys(STAMP_LABELS) as (keyof StampFacts)[]).map((name) => (
              <Fragment key={name}>
                <dt>{t(STAMP_LABELS[name])}</dt>
                <dd>
                  <StampValue name={name} value={stored.stamp[name]} />
                </dd>
              </Fragment>
            ))}
            <dt>{t("case.record.storedAt")}</dt>
            <dd>
              <When at={stored.storedAt} />
            </dd>
          </dl>
        </>
      ) : (
        <p className="muted small">{t("case.record.noStored")}</p>
      )}
      {comparison ? (
        <div className="alert alert-warning" role="status" data-testid="recalculation-differs">
          <p>
            {comparison.currentTotal === null
              ? t("case.record.currentFails", { stored: String(comparison.storedTotal), unit })
              : t("case.record.currentDiffers", {
                  stored: String(comparison.storedTotal),
                  current: String(comparison.currentTotal),
                  difference: comparison.difference ?? "—",
                  percent: comparison.differencePercent ?? "—",
                  unit,
                })}
          </p>
          {comparison.currentError ? <p className="small">{locale === "en" ? comparison.currentError.en : comparison.currentError.zh}</p> : null}
          {comparison.changedStamp.length > 0 && comparison.currentStamp ? (
            <DataTable
              className="small"
              caption={t("case.record.changed")}
              columns={[t("case.record.changed"), t("case.record.storedColumn"), t("case.record.currentColumn")]}
            >
              {comparison.changedStamp.map((name) => (
                <tr key={name}>
                  <th scope="row">{t(STAMP_LABELS[name])}</th>
                  <td>
                    <StampValue name={name} value={stored?.stamp[name] ?? null} />
                  </td>
                  <td>
                    <StampValue name={name} value={comparison.currentStamp?.[name] ?? null} />
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : null}
          <p className="small">{t("case.record.storedRules")}</p>
        </div>
      ) : null}
    </section>
  );
}
