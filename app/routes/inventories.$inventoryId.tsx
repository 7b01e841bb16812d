import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { roundToSignificant } from "../../rules/format.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { STAGE_NAMES, STAGES } from "../../rules/stages.ts";
import { FormErrors, Notice } from "../components/form.tsx";
import { ConformancePanel } from "../components/footprint/conformance-panel.tsx";
import { DeleteButton } from "../components/footprint/delete-button.tsx";
import { EvidenceList } from "../components/footprint/evidence-list.tsx";
import { LineForm } from "../components/footprint/line-form.tsx";
import { ResultPanel } from "../components/footprint/result-panel.tsx";
import {
  addEvidence,
  deleteEvidence,
  EVIDENCE_MAX_BYTES,
  EVIDENCE_MAX_FILES_PER_LINE,
  inventoryEvidence,
  readEvidenceUpload,
} from "../services/evidence.server.ts";
import { megabytes } from "../utils/upload-limits.ts";
import { factorByCode, factorStudyOf, searchFactors } from "../services/factor-search.server.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";
import { unusableLinesOf } from "../components/footprint/unusable-lines.ts";
import {
  addLine,
  deleteLine,
  findInventory,
  inventoryFootprint,
  inventoryLines,
  inventoryVersionsOf,
  newVersion,
  subProductCandidates,
  updateLine,
} from "../services/inventories.server.ts";
import { parseWithZod } from "@conform-to/zod/v4";
import { carryOver, LineFormSchema, lineFormValues, serverLineFormSchema } from "../services/inventory-line-form.server.ts";
import { lineFormError } from "../utils/line-form.ts";
import type { Message } from "../i18n/index.ts";
import { cleanFileName, sniffUpload, UPLOAD_ACCEPT } from "../services/uploaded-files.server.ts";
// certificates: supply-chain links (registry check of cited certificates, flags)
import { registeredCertificates, supplyChainFlagsForInventory } from "../services/certificates/supply-chain.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { formValues, type FieldErrors, type FormValues } from "../utils/forms.ts";
import { notFound } from "../utils/http.server.ts";
import { SupplyFlags } from "../components/certificates/supply-flags.tsx";
import { useLocale, useT } from "../utils/i18n-react.ts";
import type { LineKindChoice } from "../utils/line-kinds.ts";
import { unitSymbol } from "../utils/unit-choices.ts";
import { ListTable, numeric } from "../components/data-table.tsx";

/** Fields the line form sends; a GET with these (the picker's search button) is a draft of the form. */
const DRAFT_FIELDS = new Set([...Object.keys(LineFormSchema.shape), "factorQuery"]);

function draftFrom(params: URLSearchParams): FormValues | null {
  if (!params.has("intent")) return null;
  const values: FormValues = {};
  for (const [key, value] of params) if (DRAFT_FIELDS.has(key)) values[key] = value.slice(0, 2000);
  return values;
}

/**
 * The inventory editor: lines by PCR stage, the live footprint with its charts, the PCR
 * conformance report, one line open for editing (`?line=`) with its evidence files, and the form
 * to add a line. Another organization's inventory answers 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const url = new URL(request.url);
  const lines = await inventoryLines(db, inventory.id);
  const pcr = PCR_CATALOGUE.get(inventory.pcr_code, inventory.pcr_version);
  // A line that cannot be calculated is left out and shown with its error; the rest still calculates.
  const {
    result,
    presented,
    conformance,
    error,
    lineLabels,
    invalidLineIds = [],
  } = await inventoryFootprint(db, organizationId, inventory, lines, "exclude");
  const dataset = { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version };
  // The built-in versions and those the platform published: the inventory may name either.
  const library = await factorLibrary(db);
  const factorIndex = library.index(dataset.id, dataset.version);
  const study = factorStudyOf(inventory);
  const factorNames: Record<string, { zh: string; en: string }> = {};
  for (const line of lines) {
    const supply = "supply" in line.details ? line.details.supply : undefined;
    for (const code of [line.factor_code, supply && "factorCode" in supply ? supply.factorCode : null]) {
      const f = code ? factorIndex.get(code) : undefined;
      if (f) factorNames[f.code] = f.name;
    }
  }
  const evidence = await inventoryEvidence(db, organizationId, inventory.id);
  const locked = Boolean(inventory.locked_at);

  // The open line (edit, or view when locked), or the add form; a draft from the search button wins.
  const current = lines.find((l) => l.id === url.searchParams.get("line")) ?? null;
  const draft = draftFrom(url.searchParams);
  const stageParam = url.searchParams.get("stage");
  const formState: FormValues =
    draft ?? (current ? lineFormValues(current) : stageParam && (STAGES as readonly string[]).includes(stageParam) ? { stage: stageParam } : {});
  const formKind = typeof formState.kind === "string" ? formState.kind : "material";
  const factorResults = searchFactors(
    dataset,
    {
      kind: formKind,
      supplyType: typeof formState.supplyType === "string" ? formState.supplyType : "grid",
      query: typeof formState.factorQuery === "string" ? formState.factorQuery : "",
      study,
    },
    library,
  );
  const versions = await inventoryVersionsOf(db, organizationId, inventory.product_id);
  return {
    inventory,
    lines,
    pcr: { code: pcr.code, version: pcr.version, name: pcr.name, stages: pcr.stages, declaredUnit: pcr.declaredUnit },
    result,
    presented,
    conformance,
    error,
    invalidLineIds,
    unusableLines: unusableLinesOf(result?.incomplete, inventory.product_id),
    factorNames,
    siblings: await subProductCandidates(db, organizationId, inventory),
    lineLabels,
    evidence,
    current: current ? { id: current.id, name: current.name } : null,
    form: {
      key: `${current && !locked ? `edit:${current.id}` : `add:${lines.length}`}:${url.searchParams.get("stage") ?? ""}:${draft ? url.search : ""}`,
      values: formState,
      factorResults,
      selectedFactor: factorByCode(dataset, typeof formState.factorCode === "string" ? formState.factorCode : null, study, library),
    },
    saved: url.searchParams.has("saved"),
    previousVersion: inventory.previous_version_id ? (versions.find((v) => v.id === inventory.previous_version_id) ?? null) : null,
    otherVersions: versions.length - 1,
    evidenceLimits: { accept: UPLOAD_ACCEPT, maxBytes: EVIDENCE_MAX_BYTES },
    supplyFlags: (await supplyChainFlagsForInventory(db, organizationId, inventory.id)).map((f) => ({
      number: f.certificate_number,
      status: f.certificate_status,
      since: f.raised_at.toISOString().slice(0, 10),
    })),
  };
}

type ActionState = { intent: string; errors: FieldErrors; values: FormValues; sha256?: string };

/** Each field's first message of a Conform submission's errors. */
function firstErrors(error: Record<string, Message[] | null> | null | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, messages] of Object.entries(error ?? {})) if (messages?.[0]) errors[field || "form"] = messages[0];
  return errors;
}
const reply = (state: ActionState, status = 200) => data(state, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, organizationId, user, locale } = await requirePermission(request, "product:write:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const locked = (intent: string) => reply({ intent, errors: { form: { key: "inv.lockedNote" } }, values: {} }, 409);

  // Evidence uploads are the one multipart form; everything else is a small urlencoded form.
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const intent = "upload-evidence";
    if (inventory.locked_at) return locked(intent);
    const upload = await readEvidenceUpload(request);
    const fileError = (key: "v.fileTooLarge" | "v.fileType" | "v.required" | "v.tooManyFiles" | "v.invalid", status: number) =>
      reply(
        {
          intent,
          errors: { file: { key, params: { max: key === "v.tooManyFiles" ? EVIDENCE_MAX_FILES_PER_LINE : megabytes(EVIDENCE_MAX_BYTES) } } },
          values: {},
        },
        status,
      );
    if (!upload.ok) return upload.reason === "tooLarge" ? fileError("v.fileTooLarge", 413) : fileError("v.invalid", 400);
    if (upload.formData.get("intent") !== intent) return reply({ intent, errors: { form: { key: "v.invalid" } }, values: {} }, 400);
    const file = upload.formData.get("file");
    if (!(file instanceof File) || file.size === 0) return fileError("v.required", 400);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const name = cleanFileName(file.name);
    const sniffed = name ? sniffUpload(bytes, name) : null;
    if (!sniffed) return fileError("v.fileType", 415);
    const added = await addEvidence(db, { organizationId, userId: user.id }, inventory.id, String(upload.formData.get("line") ?? ""), {
      name,
      contentType: sniffed.contentType,
      bytes,
    });
    if (added.status !== "added") {
      if (added.status === "missing") throw notFound();
      return added.status === "locked" ? locked(intent) : fileError("v.tooManyFiles", 400);
    }
    return reply({ intent, errors: {}, values: {}, sha256: added.sha256 });
  }

  const formData = await readForm(request);
  // PostgreSQL text cannot hold NUL: a 400 naming the field, not a failed insert.
  refuseNulBytes(request, locale, { form: formData });
  const intent = String(formData.get("intent") ?? "");

  if (intent === "new-version") {
    const id = await newVersion(db, organizationId, inventory.id, user.id);
    throw redirect(`/inventories/${id}`);
  }
  if (intent === "delete-line") {
    const outcome = await deleteLine(db, inventory.id, String(formData.get("lineId") ?? ""));
    if (outcome === "missing") throw notFound();
    if (outcome === "locked") return locked(intent);
    return reply({ intent, errors: {}, values: {} });
  }
  if (intent === "delete-evidence") {
    const outcome = await deleteEvidence(db, organizationId, inventory.id, String(formData.get("evidenceId") ?? ""));
    if (outcome === "missing") throw notFound();
    if (outcome === "locked") return locked(intent);
    return reply({ intent, errors: {}, values: {} });
  }
  if (intent === "add-line" || intent === "edit-line") {
    const lineId = String(formData.get("line") ?? "");
    const existing = intent === "edit-line" ? (await inventoryLines(db, inventory.id)).find((l) => l.id === lineId) : undefined;
    if (intent === "edit-line" && !existing) throw notFound();
    if (inventory.locked_at) return locked(intent);
    const siblings = await subProductCandidates(db, organizationId, inventory);
    const certificateNumber = String(formData.get("certificateNumber") ?? "").trim();
    // The browser validated the same fields with the same schema before sending them (Conform);
    // the server's adds the checks against the dataset, the organization's products and the registry.
    const submission = parseWithZod(formData, {
      schema: serverLineFormSchema({
        factorDataset: { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version },
        factors: await factorLibrary(db),
        gwpSet: inventory.gwp_set,
        productIds: siblings.map((p) => p.id),
        productUnits: Object.fromEntries(siblings.filter((p) => p.unit).map((p) => [p.id, p.unit!])),
        registeredCertificates:
          formData.get("kind") === "supplier_certificate" && certificateNumber ? await registeredCertificates(db, [certificateNumber]) : undefined,
      }),
      formatError: lineFormError,
    });
    if (submission.status !== "success") return reply({ intent, errors: firstErrors(submission.error), values: formValues(formData) }, 400);
    const line = submission.value;
    if (existing) {
      const outcome = await updateLine(db, inventory.id, existing.id, carryOver(existing, line));
      if (outcome === "missing") throw notFound();
      if (outcome === "locked") return locked(intent);
      throw redirect(`/inventories/${inventory.id}?line=${existing.id}&saved`);
    }
    if (!(await addLine(db, inventory.id, line))) return locked(intent);
    // Posted from a page whose URL holds a draft (the search button without JavaScript): leave it,
    // or the form would come back filled with the line just added.
    if (new URL(request.url).searchParams.has("intent")) throw redirect(`/inventories/${inventory.id}`);
    return reply({ intent, errors: {}, values: {} });
  }
  return reply({ intent, errors: { form: { key: "v.invalid" } }, values: {} }, 400);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** A locked line, read-only: what the verifier sees. */
function LineDetails({ line, factorName }: { line: LoaderData["lines"][number]; factorName: string }) {
  const t = useT();
  const locale = useLocale();
  const dq = line.data_quality;
  return (
    <section className="card" aria-labelledby="line-view-title" id="line-editor">
      <h2 id="line-view-title">{t("inv.viewLine", { name: line.name })}</h2>
      <dl className="facts">
        <dt>{t("inv.stage")}</dt>
        <dd>{locale === "en" ? STAGE_NAMES[line.stage as keyof typeof STAGE_NAMES]?.en : STAGE_NAMES[line.stage as keyof typeof STAGE_NAMES]?.zh}</dd>
        <dt>{t("inv.kind")}</dt>
        <dd>{t(`inv.kind.${line.kind as LineKindChoice}`)}</dd>
        <dt>{t("inv.amount")}</dt>
        <dd>{line.amount === null ? "—" : `${line.amount} ${unitSymbol(line.unit ?? "")}`}</dd>
        <dt>{t("inv.factor")}</dt>
        <dd>{factorName || "—"}</dd>
        <dt>{t("inv.dataType")}</dt>
        <dd>{line.data_type === "primary" ? t("inv.primary") : t("inv.secondary")}</dd>
        <dt>{t("inv.dqScores")}</dt>
        <dd>
          {dq
            ? (["reliability", "completeness", "temporal", "geographical", "technological"] as const)
                .map((d) => `${t(`inv.dq.${d}`)} ${dq[d] ?? "—"}`)
                .join(" · ")
            : "—"}
        </dd>
        <dt>{t("inv.note")}</dt>
        <dd>{line.note || "—"}</dd>
      </dl>
      <p>
        <Link to=".">{t("inv.cancel")}</Link>
      </p>
    </section>
  );
}

export default function InventoryPage() {
  const {
    inventory,
    lines,
    pcr,
    result,
    presented,
    conformance,
    error,
    invalidLineIds,
    unusableLines,
    factorNames,
    siblings,
    lineLabels,
    evidence,
    current,
    form,
    saved,
    previousVersion,
    otherVersions,
    evidenceLimits,
    supplyFlags,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const locked = Boolean(inventory.locked_at);
  const factorName = (line: (typeof lines)[number]) => {
    const supply = "supply" in line.details ? line.details.supply : undefined;
    const code = line.factor_code ?? (supply && "factorCode" in supply ? supply.factorCode : null) ?? null;
    const name = code ? factorNames[code] : undefined;
    return name ? `${text(name)} (${code})` : "";
  };
  const unit = presented ? `kgCO₂e / ${presented.total.per}` : `kgCO₂e / ${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit}`;
  const filesOf = (lineId: string) => evidence.filter((e) => e.inventory_line_id === lineId);
  const currentLine = current ? (lines.find((l) => l.id === current.id) ?? null) : null;
  const lineState = actionData?.intent === (currentLine && !locked ? "edit-line" : "add-line") ? actionData : undefined;
  const lineHref = (id: string) => `?line=${id}#line-editor`;
  return (
    <>
      <p className="small">
        <Link to={`/products/${inventory.product_id}`}>← {locale === "en" ? inventory.product_name_en : inventory.product_name_zh}</Link>
      </p>
      <h1>
        {t("inv.title")} · {inventory.period_start} – {inventory.period_end} · {t("inv.version")} {inventory.version}
      </h1>
      <SupplyFlags flags={supplyFlags} />
      <section className="card">
        <dl className="facts">
          <dt>{t("inv.pcr")}</dt>
          <dd>
            {text(pcr.name)} · {pcr.code} v{pcr.version}
          </dd>
          <dt>{t("inv.dataset")}</dt>
          <dd>
            {inventory.factor_dataset_id} {inventory.factor_dataset_version} · {inventory.gwp_set}
          </dd>
          <dt>{t("inv.production")}</dt>
          <dd>
            {inventory.production_quantity} {unitSymbol(inventory.production_unit)}
          </dd>
          <dt>{t("inv.version")}</dt>
          <dd>
            {locked ? t("inv.locked") : t("inv.editable")}
            {otherVersions > 0 ? (
              <>
                {" · "}
                <Link
                  to={previousVersion ? `/inventories/compare?a=${previousVersion.id}&b=${inventory.id}` : `/inventories/compare?a=${inventory.id}`}
                >
                  {previousVersion ? t("inv.comparePrevious", { version: previousVersion.version }) : t("inv.compare")}
                </Link>
              </>
            ) : null}
          </dd>
        </dl>
        <p className="small">
          <Link to={`/inventories/${inventory.id}/workbook`} data-testid="workbook-link">
            {t("wb.link")}
          </Link>
          {result && !result.incomplete ? (
            <>
              {" · "}
              <Link to={`/cases/new?inventory=${inventory.id}`} data-testid="apply-link">
                {t("cases.apply")}
              </Link>
            </>
          ) : null}
          {" · "}
          <Link to={`/inventories/${inventory.id}/dataset`} data-testid="dataset-move-link">
            {t("invds.title")}
          </Link>
        </p>
        {locked ? (
          <Form method="post">
            <input type="hidden" name="intent" value="new-version" />
            <p className="alert alert-warn">{t("inv.lockedNote")}</p>
            <button type="submit">{t("inv.newVersion")}</button>
          </Form>
        ) : null}
      </section>
      {error ? (
        <p className="alert alert-error" role="alert">
          {t("res.error")}: {text(error)}
        </p>
      ) : null}
      {result && presented ? (
        <ResultPanel
          result={result}
          presented={presented}
          lineLabels={lineLabels}
          stages={pcr.stages.allowed}
          lineAnchor={(id) => (lines.some((l) => l.id === id) ? `#line-${id}` : null)}
        />
      ) : null}
      {conformance ? (
        <ConformancePanel
          report={conformance}
          links={{
            addToStage: locked ? undefined : (stage) => `?stage=${stage}#add-line`,
            line: (id) => {
              const line = lines.find((l) => l.id === id);
              return line ? { href: lineHref(line.id), label: line.name } : null;
            },
          }}
        />
      ) : null}
      <section className="card" aria-labelledby="lines-title">
        <h2 id="lines-title">{t("inv.lines")}</h2>
        {actionData?.intent === "delete-line" || actionData?.intent === "delete-evidence" ? <FormErrors state={actionData} /> : null}
        {STAGES.map((stage) => {
          const required = pcr.stages.required.includes(stage);
          const allowed = required || pcr.stages.allowed.includes(stage);
          const stageLines = lines.filter((l) => l.stage === stage);
          if (!allowed && stageLines.length === 0) return null;
          const contribution = (id: string) => result?.byLine.find((l) => l.lineId === id);
          return (
            <div key={stage} className="stage-block" data-stage={stage}>
              <h3>
                {text(STAGE_NAMES[stage])}
                <span className="tag">{required ? t("inv.required") : allowed ? t("inv.optional") : t("inv.notInBoundary")}</span>
              </h3>
              <ListTable
                rows={stageLines}
                empty={<p className="muted small">{t("inv.noLines")}</p>}
                columns={[
                  t("inv.name"),
                  t("inv.kind"),
                  numeric(t("inv.amount")),
                  t("inv.factor"),
                  numeric(`${t("res.contribution")} (${unit})`),
                  t("inv.evidence"),
                  null,
                ]}
                row={(line) => {
                  const c = contribution(line.id);
                  const files = filesOf(line.id).length;
                  const unusable = unusableLines[line.id];
                  const classes = [current?.id === line.id ? "current-line" : "", unusable ? "line-unusable" : ""].filter(Boolean).join(" ");
                  return (
                    // The anchor the result panel links a line by (the conformance report opens it in the form).
                    <tr key={line.id} id={`line-${line.id}`} data-line={line.name} className={classes || undefined}>
                      <td>
                        {line.name}
                        <div className="muted small">
                          {line.data_type === "primary" ? t("inv.primary") : t("inv.secondary")}
                          {line.excluded ? ` · ${t("inv.excluded")}` : ""}
                        </div>
                        {invalidLineIds.includes(line.id) ? (
                          <span className="tag tag-error" data-testid="invalid-line">
                            {t("inv.storedLineInvalidTag")}
                          </span>
                        ) : null}
                        {unusable ? (
                          <div className="small" data-testid="unusable-line">
                            <span className="tag tag-error">{t("inv.lineUnusable")}</span>{" "}
                            <span className="line-error">{t("inv.lineUnusableWhy", { reason: text(unusable) })}</span>
                          </div>
                        ) : null}
                      </td>
                      <td>{t(`inv.kind.${line.kind as LineKindChoice}`)}</td>
                      <td className="num">{line.amount === null ? "" : `${line.amount} ${unitSymbol(line.unit ?? "")}`}</td>
                      <td className="small">{factorName(line)}</td>
                      <td className="num" data-testid="line-contribution">
                        {c ? roundToSignificant(c.kgCO2e, 4) : "—"}
                      </td>
                      <td className="num">
                        <Link to={`?line=${line.id}#evidence`} aria-label={`${t("inv.evidence")} ${line.name}: ${files}`}>
                          {files}
                        </Link>
                      </td>
                      <td className="row-actions">
                        <Link
                          to={lineHref(line.id)}
                          className="button secondary small-button"
                          aria-label={`${locked ? t("inv.view") : t("inv.edit")} ${line.name}`}
                        >
                          {locked ? t("inv.view") : t("inv.edit")}
                        </Link>
                        {locked ? null : <DeleteButton intent="delete-line" field="lineId" id={line.id} name={line.name} />}
                      </td>
                    </tr>
                  );
                }}
              />
            </div>
          );
        })}
      </section>
      {currentLine && locked ? <LineDetails line={currentLine} factorName={factorName(currentLine)} /> : null}
      {saved && currentLine && !locked && !actionData ? <Notice>{t("inv.lineSaved")}</Notice> : null}
      {locked ? null : (
        <LineForm
          key={form.key}
          mode={currentLine && !locked ? "edit" : "add"}
          lineId={currentLine && !locked ? currentLine.id : undefined}
          state={{
            errors: lineState?.errors,
            values: lineState?.values && Object.keys(lineState.values).length > 0 ? lineState.values : form.values,
          }}
          factorResults={form.factorResults}
          selectedFactor={form.selectedFactor}
          siblings={siblings}
          gwpSet={inventory.gwp_set}
          searchUrl={`/inventories/${inventory.id}/factors`}
          cancelHref={currentLine ? "." : undefined}
          lineError={currentLine && unusableLines[currentLine.id] ? text(unusableLines[currentLine.id]!) : undefined}
        />
      )}
      {currentLine ? (
        <>
          {actionData?.intent === "upload-evidence" && actionData.sha256 ? <Notice>{t("ev.added", { sha256: actionData.sha256 })}</Notice> : null}
          <EvidenceList
            lineId={currentLine.id}
            lineName={currentLine.name}
            files={filesOf(currentLine.id)}
            locked={locked}
            state={actionData?.intent === "upload-evidence" ? actionData : undefined}
            accept={evidenceLimits.accept}
            maxBytes={evidenceLimits.maxBytes}
          />
        </>
      ) : null}
    </>
  );
}
