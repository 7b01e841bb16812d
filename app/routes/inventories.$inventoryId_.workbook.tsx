/**
 * /inventories/:id/workbook — Excel and CSV in and out for one inventory: download the template
 * made for its PCR, upload a filled file (all-or-nothing, errors by row and column), export the
 * inventory with its result.
 *
 * With JavaScript the upload goes to the import resource route with XMLHttpRequest, which reports
 * the bytes sent and then the server's own progress (rows checked, then writing and calculating)
 * as it streams. Without JavaScript the form posts here and the same import runs.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { presentFootprint } from "../../rules/calculator/index.ts";
import { RulesError } from "../../rules/errors.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { calculateStoredInventory, countInventoryLines, findInventory, toCalculatorInput } from "../services/inventories.server.ts";
import { importInventoryFile, preRead, refusedLocked, type ImportOutcome } from "../services/workbook/import.server.ts";
import { WORKBOOK_MAX_BYTES } from "../utils/upload-limits.ts";
import { readImportUpload } from "../services/workbook/upload.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { describeImportError } from "../utils/workbook-columns.ts";
import type { ImportStreamEvent } from "./inventories.$inventoryId_.workbook.import.tsx";

/** Errors listed on the page; the rest are counted. */
const SHOWN_ERRORS = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const lineCount = await countInventoryLines(db, inventory.id);
  let footprint: { value: string; unit: string; basis: string } | null = null;
  let error: { zh: string; en: string } | null = null;
  if (lineCount > 0) {
    try {
      const result = calculateStoredInventory(await toCalculatorInput(db, organizationId, inventory));
      const presented = presentFootprint(result, 4);
      footprint = {
        value: presented.total.value,
        unit: `kgCO₂e / ${presented.total.per}`,
        basis: `${result.stamp.pcr.code} v${result.stamp.pcr.version} · ${result.stamp.factorDataset.id} ${result.stamp.factorDataset.version} · ${result.stamp.gwpSet}`,
      };
    } catch (e) {
      if (!(e instanceof RulesError)) throw e;
      error = e.detail;
    }
  }
  const pcr = PCR_CATALOGUE.get(inventory.pcr_code, inventory.pcr_version);
  return {
    inventory: {
      id: inventory.id,
      productId: inventory.product_id,
      productName: { zh: inventory.product_name_zh, en: inventory.product_name_en },
      periodStart: inventory.period_start,
      periodEnd: inventory.period_end,
      version: inventory.version,
      locked: Boolean(inventory.locked_at),
      dataset: `${inventory.factor_dataset_id} ${inventory.factor_dataset_version}`,
    },
    pcr: { code: pcr.code, version: pcr.version, name: pcr.name },
    lineCount,
    footprint,
    error,
    maxBytes: WORKBOOK_MAX_BYTES,
  };
}

/** The same import for browsers without JavaScript (no progress: the page answers when it is done). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:write:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const upload = await readImportUpload(request);
  if (!upload.ok) return data({ outcome: upload.outcome as ImportOutcome }, { status: upload.outcome.httpStatus });
  if (inventory.locked_at) return data({ outcome: refusedLocked() as ImportOutcome }, { status: 409 });
  const outcome = await importInventoryFile({ db, organizationId, inventory }, await preRead(upload.bytes, upload.name), upload.mode);
  const status = outcome.status === "imported" ? 200 : outcome.status === "invalid" ? 400 : outcome.httpStatus;
  const retryAfter = outcome.status === "refused" ? outcome.retryAfterSeconds : undefined;
  return data({ outcome }, { status, headers: retryAfter ? { "Retry-After": String(retryAfter) } : undefined });
}

type Progress =
  | { phase: "upload"; sent: number; size: number }
  | { phase: "read" }
  | { phase: "check"; done: number; total: number }
  | { phase: "write"; total: number }
  | { phase: "calculate" };

function ProgressView({ progress }: { progress: Progress }) {
  const t = useT();
  let value: number | undefined;
  let max: number | undefined;
  let text: string;
  switch (progress.phase) {
    case "upload":
      value = progress.sent;
      max = progress.size || 1;
      text = t("wb.progress.upload", {
        percent: Math.floor((100 * progress.sent) / (progress.size || 1)),
        sent: Math.ceil(progress.sent / 1024),
        size: Math.ceil(progress.size / 1024),
      });
      break;
    case "check":
      value = progress.done;
      max = progress.total || 1;
      text = t("wb.progress.check", { done: progress.done, total: progress.total });
      break;
    case "write":
      text = t("wb.progress.write", { total: progress.total });
      break;
    case "read":
      text = t("wb.progress.read");
      break;
    case "calculate":
      text = t("wb.progress.calculate");
      break;
  }
  return (
    <div className="stack" data-testid="import-progress" data-phase={progress.phase}>
      {/* Without a value the bar is indeterminate: that step reports no counts. */}
      <progress value={value} max={max} aria-label={text} />
      <p className="small" role="status">
        {text}
      </p>
    </div>
  );
}

function OutcomeView({ outcome, inventoryId }: { outcome: ImportOutcome; inventoryId: string }) {
  const t = useT();
  const locale = useLocale();
  if (outcome.status === "imported") {
    return (
      <div className="alert alert-success" role="status" data-testid="import-outcome" data-status="imported">
        <p>{t("wb.done", { count: outcome.lines, ...outcome.timings })}</p>
        {outcome.footprint ? <p>{t("wb.done.total", { value: outcome.footprint.value, unit: outcome.footprint.unit })}</p> : null}
        {outcome.calculationError ? (
          <p>
            {t("res.error")}: {locale === "en" ? outcome.calculationError.en : outcome.calculationError.zh}
          </p>
        ) : null}
        <p>
          <Link to={`/inventories/${inventoryId}`}>{t("wb.back")}</Link>
        </p>
      </div>
    );
  }
  if (outcome.status === "refused") {
    return (
      <div className="alert alert-error" role="alert" data-testid="import-outcome" data-status="refused">
        {t(outcome.message.key, outcome.message.params)}
      </div>
    );
  }
  const shown = outcome.errors.slice(0, SHOWN_ERRORS);
  const more = outcome.errorCount - shown.length;
  return (
    <div className="alert alert-error" role="alert" data-testid="import-outcome" data-status="invalid">
      <p>{t("wb.errors.title", { count: outcome.errorCount })}</p>
      <ul data-testid="import-errors">
        {shown.map((error, i) => (
          <li key={i} data-row={error.row ?? undefined} data-column={error.column ?? undefined}>
            {describeImportError(error, t)}
          </li>
        ))}
      </ul>
      {more > 0 ? <p>{t("wb.errors.more", { count: more })}</p> : null}
    </div>
  );
}

export default function WorkbookPage() {
  const { inventory, pcr, lineCount, footprint, error, maxBytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const revalidator = useRevalidator();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const shownOutcome = outcome ?? actionData?.outcome ?? null;
  const base = `/inventories/${inventory.id}/workbook`;
  const mb = Math.round(maxBytes / 1024 / 1024);

  function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    setOutcome(null);
    // The server checks these too; checking here saves sending a file that would be refused.
    if (!(file instanceof File) || file.size === 0) return setOutcome({ status: "refused", message: { key: "wb.err.noFile" }, httpStatus: 400 });
    if (file.size > maxBytes) return setOutcome({ status: "refused", message: { key: "wb.err.tooLarge", params: { mb } }, httpStatus: 413 });
    const xhr = new XMLHttpRequest();
    let consumed = 0;
    let result: ImportOutcome | null = null;
    const readEvents = () => {
      const text = xhr.responseText;
      let end = text.indexOf("\n", consumed);
      while (end !== -1) {
        const event = JSON.parse(text.slice(consumed, end)) as ImportStreamEvent;
        consumed = end + 1;
        if (event.type === "result") result = event.outcome;
        else {
          const { type: _type, ...step } = event;
          setProgress(step);
        }
        end = text.indexOf("\n", consumed);
      }
    };
    xhr.open("POST", `${base}/import`);
    xhr.upload.onprogress = (e) => setProgress({ phase: "upload", sent: e.loaded, size: e.lengthComputable ? e.total : file.size });
    xhr.onprogress = readEvents;
    xhr.onload = () => {
      try {
        readEvents();
      } catch {
        result = null;
      }
      setProgress(null);
      setOutcome(result ?? { status: "refused", message: { key: "wb.err.server" }, httpStatus: 500 });
      if (result?.status === "imported") revalidator.revalidate();
    };
    xhr.onerror = () => {
      setProgress(null);
      setOutcome({ status: "refused", message: { key: "wb.err.network" }, httpStatus: 400 });
    };
    setProgress({ phase: "upload", sent: 0, size: file.size });
    xhr.send(form);
  }

  return (
    <>
      <p className="small">
        <Link to={`/inventories/${inventory.id}`}>← {t("wb.back")}</Link>
      </p>
      <h1>{t("wb.title")}</h1>
      <section className="card">
        <dl className="facts">
          <dt>{t("wb.x.product")}</dt>
          <dd>{locale === "en" ? inventory.productName.en : inventory.productName.zh}</dd>
          <dt>{t("inv.period")}</dt>
          <dd>
            {inventory.periodStart} – {inventory.periodEnd} · {t("inv.version")} {inventory.version} ·{" "}
            {inventory.locked ? t("inv.locked") : t("inv.editable")}
          </dd>
          <dt>{t("inv.pcr")}</dt>
          <dd>
            {locale === "en" ? pcr.name.en : pcr.name.zh} · {pcr.code} v{pcr.version}
          </dd>
          <dt>{t("inv.dataset")}</dt>
          <dd>{inventory.dataset}</dd>
          <dt>{t("inv.lines")}</dt>
          <dd data-testid="line-count">{t("wb.lineCount", { count: lineCount })}</dd>
          <dt>{t("res.total")}</dt>
          <dd>
            {footprint ? (
              <>
                <span data-testid="footprint-total">{footprint.value}</span> {footprint.unit} <span className="muted small">({footprint.basis})</span>
              </>
            ) : error ? (
              `${t("res.error")}: ${locale === "en" ? error.en : error.zh}`
            ) : (
              "—"
            )}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="template-title">
        <h2 id="template-title">{t("wb.template.title")}</h2>
        <p>{t("wb.template.text")}</p>
        <a className="button secondary" href={`${base}/template`} download data-testid="template-link">
          {t("wb.template.download")}
        </a>
      </section>

      <section className="card" aria-labelledby="import-title">
        <h2 id="import-title">{t("wb.import.title")}</h2>
        {inventory.locked ? (
          <Form method="post" action={`/inventories/${inventory.id}`}>
            <input type="hidden" name="intent" value="new-version" />
            <p className="alert alert-warn">{t("wb.err.locked")}</p>
            <button type="submit">{t("inv.newVersion")}</button>
          </Form>
        ) : (
          <form method="post" encType="multipart/form-data" className="stack wide" onSubmit={upload} data-testid="import-form">
            <p>{t("wb.import.text", { mb })}</p>
            <div className="field">
              <label htmlFor="field-file">{t("wb.file")}</label>
              <input
                id="field-file"
                name="file"
                type="file"
                accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                required
              />
            </div>
            <fieldset>
              <legend>{t("wb.mode")}</legend>
              {(["create", "replace"] as const).map((mode) => (
                <label key={mode} className="checkbox">
                  <input type="radio" name="mode" value={mode} defaultChecked={lineCount === 0 && mode === "create"} required />{" "}
                  {t(`wb.mode.${mode}`)}
                </label>
              ))}
            </fieldset>
            <div>
              <button type="submit" disabled={progress !== null}>
                {t("wb.submit")}
              </button>
            </div>
            {progress ? <ProgressView progress={progress} /> : null}
            <p className="muted small">{t("wb.progress.note")}</p>
          </form>
        )}
        {shownOutcome ? <OutcomeView outcome={shownOutcome} inventoryId={inventory.id} /> : null}
      </section>

      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">{t("wb.export.title")}</h2>
        <p>{t("wb.export.text")}</p>
        <a className="button secondary" href={`${base}/export`} download data-testid="export-link">
          {t("wb.export.download")}
        </a>
      </section>
    </>
  );
}
