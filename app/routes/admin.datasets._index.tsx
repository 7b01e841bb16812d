/**
 * /admin/datasets — the platform admin's factor dataset versions (docs/decisions/0018): every
 * version, built in or stored, with its status and content hash, and the form importing a new one
 * from an .xlsx or CSV file. An import is all or nothing: every problem of the file is listed by
 * row and column in the reader's language, and only a wholly valid file with valid details becomes
 * a draft, whose page then shows its difference from the version before it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice, TextField, type FormState } from "../components/form.tsx";
import type { Message } from "../i18n/index.ts";
import {
  datasetVersionList,
  importDatasetFile,
  importFormChoices,
  type DatasetImportError,
  type ImportOutcome,
} from "../services/datasets.server.ts";
import { readUpload } from "../services/workbook/upload.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { INCLUDE_PREFIX } from "../utils/dataset-forms.ts";
import { fieldWithNul, nulByteResponse } from "../utils/nul-bytes.server.ts";
import { useLocale, useMessage, useT } from "../utils/i18n-react.ts";
import { WORKBOOK_MAX_BYTES } from "../utils/upload-limits.ts";

/** Problems listed on the page; the rest are counted. */
const SHOWN_ERRORS = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requirePermission(request, "datasets:manage");
  const url = new URL(request.url);
  const versions = await datasetVersionList(db);
  return {
    versions: versions.map((v) => ({ ...v, importedAt: v.importedAt?.toISOString() ?? null, publishedAt: v.publishedAt?.toISOString() ?? null })),
    includable: await importFormChoices(db),
    discarded: url.searchParams.get("discarded"),
    maxBytes: WORKBOOK_MAX_BYTES,
  };
}

type ActionAnswer = { outcome: ImportOutcome; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const { db, user, locale } = await requirePermission(request, "datasets:manage");
  const upload = await readUpload(request);
  if (!upload.ok) {
    const outcome: ImportOutcome = { status: "refused", message: upload.message, httpStatus: upload.httpStatus };
    return data<ActionAnswer>({ outcome, values: {} }, { status: upload.httpStatus });
  }
  const nul = fieldWithNul([...Object.entries(upload.fields), ["file", upload.file.name]]);
  if (nul !== null) throw nulByteResponse(nul, locale);
  const outcome = await importDatasetFile(db, { bytes: upload.file.bytes, name: upload.file.name, fields: upload.fields }, user.id);
  if (outcome.status === "imported") {
    throw redirect(`/admin/datasets/${encodeURIComponent(outcome.datasetId)}/${encodeURIComponent(outcome.version)}?imported=${outcome.factors}`);
  }
  const status = outcome.status === "invalid" ? 400 : outcome.httpStatus;
  const headers = outcome.status === "refused" && outcome.retryAfterSeconds ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
  return data<ActionAnswer>({ outcome, values: upload.fields }, { status, headers });
}

function ImportErrors({ errors, count }: { errors: readonly DatasetImportError[]; count: number }) {
  const t = useT();
  const message = useMessage();
  if (count === 0) return null;
  const describe = (e: DatasetImportError) => {
    const text = message(e.message) ?? "";
    if (e.row === null) return text;
    if (e.column) return t("wb.err.cell", { row: e.row, column: e.column, header: e.header ?? "", message: text });
    if (e.header) return t("wb.err.absentColumn", { row: e.row, header: e.header, message: text });
    return t("wb.err.row", { row: e.row, message: text });
  };
  return (
    <div className="alert alert-error" role="alert" data-testid="dataset-import-errors">
      <p>{t("ds.errors", { count })}</p>
      <ul className="small">
        {errors.slice(0, SHOWN_ERRORS).map((e, i) => (
          <li key={i} data-testid="dataset-import-error">
            {describe(e)}
          </li>
        ))}
      </ul>
      {count > Math.min(errors.length, SHOWN_ERRORS) ? (
        <p className="small">{t("ds.errorsMore", { count: count - Math.min(errors.length, SHOWN_ERRORS) })}</p>
      ) : null}
    </div>
  );
}

export default function DatasetVersions() {
  const { versions, includable, discarded, maxBytes } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const message = useMessage();
  const navigation = useNavigation();
  const outcome = answer?.outcome;
  const fieldErrors = outcome?.status === "invalid" ? outcome.fieldErrors : {};
  const state: FormState = { values: answer?.values, errors: fieldErrors };
  const refused: Message | null = outcome?.status === "refused" ? outcome.message : null;
  const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");
  return (
    <>
      <h1>{t("ds.title")}</h1>
      <p className="muted">{t("ds.lead")}</p>
      {discarded ? <Notice>{t("ds.discarded", { key: discarded })}</Notice> : null}
      <section className="card table-wrap">
        <h2>{t("ds.list")}</h2>
        <table data-testid="dataset-versions">
          <thead>
            <tr>
              <th>{t("ds.col.dataset")}</th>
              <th>{t("ds.col.version")}</th>
              <th>{t("ds.col.name")}</th>
              <th>{t("ds.col.status")}</th>
              <th className="num">{t("ds.col.factors")}</th>
              <th>{t("ds.col.hash")}</th>
              <th>{t("ds.col.imported")}</th>
              <th>{t("ds.col.published")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const href = `/admin/datasets/${encodeURIComponent(v.id)}/${encodeURIComponent(v.version)}`;
              return (
                <tr key={`${v.id}@${v.version}`} data-testid="dataset-version" data-key={`${v.id}@${v.version}`} data-status={v.status}>
                  <td>{v.id}</td>
                  <td>{v.version}</td>
                  <td>{locale === "en" ? v.name.en : v.name.zh}</td>
                  <td>
                    <span className="tag">{t(`ds.status.${v.status}`)}</span>
                  </td>
                  <td className="num">{v.factors}</td>
                  <td>
                    <code className="small" title={v.sha256 ?? undefined}>
                      {v.sha256 ? `${v.sha256.slice(0, 16)}…` : t("ds.meta.hashPending")}
                    </code>
                  </td>
                  <td className="small">{v.importedBy ? `${v.importedBy} · ${when(v.importedAt)}` : "—"}</td>
                  <td className="small">{when(v.publishedAt)}</td>
                  <td className="nowrap">
                    <Link to={href}>{t("ds.open")}</Link>
                    {" · "}
                    <a href={`${href}/csv`} download>
                      {t("ds.downloadCsv")}
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>{t("ds.import.title")}</h2>
        <p className="small muted">{t("ds.import.lead")}</p>
        {refused ? (
          <div className="alert alert-error" role="alert">
            {message(refused)}
          </div>
        ) : null}
        {outcome?.status === "invalid" && Object.keys(fieldErrors).length > 0 ? (
          <div className="alert alert-error" role="alert" data-testid="dataset-field-errors">
            <p>{t("ds.fieldErrors")}</p>
          </div>
        ) : null}
        {outcome?.status === "invalid" ? <ImportErrors errors={outcome.errors} count={outcome.errorCount} /> : null}
        <Form method="post" encType="multipart/form-data" className="stack" data-testid="dataset-import-form">
          <TextField name="datasetId" label={t("ds.field.datasetId")} state={state} maxLength={40} hint={t("ds.hint.datasetId")} />
          <TextField name="version" label={t("ds.field.version")} state={state} maxLength={20} hint={t("ds.hint.version")} />
          <TextField name="nameZh" label={t("ds.field.nameZh")} state={state} maxLength={100} />
          <TextField name="nameEn" label={t("ds.field.nameEn")} state={state} maxLength={200} />
          <TextField name="publishedOn" type="date" label={t("ds.field.publishedOn")} state={state} />
          <TextField name="note" label={t("ds.field.note")} state={state} maxLength={300} />
          <label className="checkbox">
            <input type="checkbox" name="demonstration" defaultChecked={answer?.values?.demonstration === "on"} /> {t("ds.field.demonstration")}
          </label>
          <fieldset className="stack" aria-describedby={fieldErrors.includes ? "field-includes-error" : undefined}>
            <legend>{t("ds.field.includes")}</legend>
            {includable.map((v) => (
              <label className="checkbox" key={v.key}>
                <input type="checkbox" name={`${INCLUDE_PREFIX}${v.key}`} defaultChecked={answer?.values?.[`${INCLUDE_PREFIX}${v.key}`] === "on"} />{" "}
                {v.id} {v.version} · {locale === "en" ? v.name.en : v.name.zh} <code className="small">{v.sha256.slice(0, 12)}…</code>
              </label>
            ))}
            {fieldErrors.includes ? (
              <p className="field-error" id="field-includes-error">
                {message(fieldErrors.includes)}
              </p>
            ) : null}
          </fieldset>
          <div className="field">
            <label htmlFor="field-file">{t("ds.field.file")}</label>
            <input id="field-file" type="file" name="file" accept=".xlsx,.csv,text/csv" required data-max-bytes={maxBytes} />
          </div>
          <div>
            <button type="submit" disabled={navigation.state === "submitting"}>
              {t("ds.submit")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
