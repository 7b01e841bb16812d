import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { calculateFootprint, presentFootprint, type FootprintResult } from "../../rules/calculator/index.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { RulesError } from "../../rules/errors.ts";
import { DEFAULT_FACTOR_LIBRARY } from "../../rules/factors/index.ts";
import { GASES } from "../../rules/gwp.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { STAGE_NAMES, STAGES } from "../../rules/stages.ts";
import { FormErrors, SelectField, TextField } from "../components/form.tsx";
import { ConformancePanel } from "../components/footprint/conformance-panel.tsx";
import { ResultPanel } from "../components/footprint/result-panel.tsx";
import { addLine, deleteLine, findInventory, inventoryLines, newVersion, toCalculatorInput } from "../services/inventories.server.ts";
import { buildLine, LineFormSchema } from "../services/inventory-line-form.server.ts";
import { LINE_KINDS, type LineKindChoice } from "../utils/line-kinds.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { parseForm, type FieldErrors } from "../utils/forms.ts";
import { notFound } from "../utils/http.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";

/** The inventory editor: lines by PCR stage, the live footprint, and the PCR conformance report. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const lines = await inventoryLines(db, inventory.id);
  const pcr = PCR_CATALOGUE.get(inventory.pcr_code, inventory.pcr_version);
  let result: FootprintResult | null = null;
  let error: { zh: string; en: string } | null = null;
  let conformance = null;
  if (lines.length > 0) {
    try {
      const input = await toCalculatorInput(db, organizationId, inventory);
      result = calculateFootprint(input);
      conformance = checkConformance(pcr, input, result);
    } catch (e) {
      if (!(e instanceof RulesError)) throw e;
      error = e.detail;
    }
  }
  const factors = DEFAULT_FACTOR_LIBRARY.get(inventory.factor_dataset_id, inventory.factor_dataset_version).factors.map((f) => ({
    code: f.code,
    zh: f.name.zh,
    en: f.name.en,
    category: f.category,
    unit: f.activityUnit,
    region: f.region,
    year: f.year,
    demonstration: f.demonstration,
  }));
  // Names of every line in the result, including those of upstream products' inventories.
  const lineIds = result ? [...new Set(result.byLine.map((l) => l.lineId))].filter((id) => /^[0-9a-f-]{36}$/.test(id)) : [];
  const lineLabels = lineIds.length
    ? await db
        .selectFrom("inventory_lines")
        .innerJoin("inventories", "inventories.id", "inventory_lines.inventory_id")
        .select(["inventory_lines.id", "inventory_lines.name"])
        .where("inventories.organization_id", "=", organizationId)
        .where("inventory_lines.id", "in", lineIds)
        .execute()
    : [];
  const siblings = await db
    .selectFrom("products")
    .select(["id", "name_zh", "name_en"])
    .where("organization_id", "=", organizationId)
    .where("id", "!=", inventory.product_id)
    .orderBy("name_zh")
    .execute();
  return {
    inventory,
    lines,
    pcr: { code: pcr.code, version: pcr.version, name: pcr.name, stages: pcr.stages, declaredUnit: pcr.declaredUnit, demonstration: pcr.labels.lowCarbonBenchmark?.demonstration ?? false },
    result,
    presented: result ? presentFootprint(result, 4) : null,
    conformance,
    error,
    factors,
    siblings,
    lineLabels,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(request, "product:write:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw notFound();
  const formData = await request.formData();
  const intent = formData.get("intent");
  const locked = () => data({ intent, errors: { form: { key: "inv.lockedNote" as const } } as FieldErrors, values: {} }, { status: 409 });

  if (intent === "new-version") {
    const id = await newVersion(db, organizationId, inventory.id, user.id);
    throw redirect(`/inventories/${id}`);
  }
  if (intent === "delete-line") {
    const outcome = await deleteLine(db, inventory.id, String(formData.get("lineId") ?? ""));
    if (outcome === "missing") throw notFound();
    if (outcome === "locked") return locked();
    return data({ intent, errors: {} as FieldErrors, values: {} });
  }
  if (intent === "add-line") {
    const parsed = parseForm(LineFormSchema, formData);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const products = await db.selectFrom("products").select("id").where("organization_id", "=", organizationId).execute();
    const built = buildLine(parsed.data, {
      factorDataset: { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version },
      gwpSet: inventory.gwp_set,
      productIds: products.map((p) => p.id).filter((id) => id !== inventory.product_id),
    });
    if (!built.ok) return data({ intent, errors: built.errors, values: Object.fromEntries([...formData].map(([k, v]) => [k, String(v)])) }, { status: 400 });
    if (!(await addLine(db, inventory.id, built.line))) return locked();
    return data({ intent, errors: {} as FieldErrors, values: {} });
  }
  return data({ intent, errors: { form: { key: "v.invalid" as const } } as FieldErrors, values: {} }, { status: 400 });
}

const FACTOR_CATEGORIES_FOR_KIND: Partial<Record<LineKindChoice, string[]>> = {
  material: ["material"],
  fuel: ["fuel", "energy"],
  waste: ["waste"],
  transport: ["transport"],
  electricity: ["electricity"],
};

function AddLineForm({ factors, siblings, state }: { factors: ReturnType<typeof useLoaderData<typeof loader>>["factors"]; siblings: { id: string; name_zh: string; name_en: string }[]; state?: { errors?: FieldErrors; values?: Record<string, string | string[]> } }) {
  const t = useT();
  const locale = useLocale();
  const initialKind = (state?.values?.kind as LineKindChoice | undefined) ?? "material";
  const [kind, setKind] = useState<LineKindChoice>(initialKind);
  const [supplyType, setSupplyType] = useState<string>((state?.values?.supplyType as string | undefined) ?? "grid");
  const navigation = useNavigation();
  const categories = FACTOR_CATEGORIES_FOR_KIND[kind];
  const factorOptions = factors
    .filter((f) => !categories || categories.includes(f.category))
    .filter(() => kind !== "electricity" || supplyType === "onsite")
    .map((f) => ({ value: f.code, label: `${locale === "en" ? f.en : f.zh} · ${f.unit} · ${f.region} · ${f.year}${f.demonstration ? " · demo" : ""}` }));
  const needsFactor = ["material", "fuel", "waste", "transport"].includes(kind) || (kind === "electricity" && supplyType === "onsite");
  const stageOptions = STAGES.map((s) => ({ value: s, label: locale === "en" ? STAGE_NAMES[s].en : STAGE_NAMES[s].zh }));
  const scores = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n) }));
  return (
    <section className="card" aria-labelledby="add-line-title">
      <h2 id="add-line-title">{t("inv.addLine")}</h2>
      <FormErrors state={state} />
      <Form method="post" className="stack wide" noValidate preventScrollReset>
        <input type="hidden" name="intent" value="add-line" />
        <div className="kind-fields">
          <SelectField name="stage" label={t("inv.stage")} options={stageOptions} state={state} defaultValue="production" />
          <div className="field">
            <label htmlFor="field-kind">{t("inv.kind")}</label>
            <select id="field-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as LineKindChoice)}>
              {LINE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`inv.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <TextField name="name" label={t("inv.name")} state={state} maxLength={200} />
        </div>
        {kind === "electricity" ? (
          <div className="field">
            <label htmlFor="field-supplyType">{t("inv.supply")}</label>
            <select id="field-supplyType" name="supplyType" value={supplyType} onChange={(e) => setSupplyType(e.target.value)}>
              {(["grid", "green_certificate", "supplier", "onsite"] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`inv.supply.${s}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {needsFactor ? <SelectField name="factorCode" label={t("inv.chooseFactor")} options={[{ value: "", label: "—" }, ...factorOptions]} state={state} /> : null}
        <div className="kind-fields">
          {kind === "transport" ? (
            <>
              <TextField name="mass" label={t("inv.mass")} state={state} />
              <SelectField name="massUnit" label={t("inv.unit")} options={[{ value: "t", label: "t" }, { value: "kg", label: "kg" }]} state={state} />
              <TextField name="distance" label={t("inv.distance")} state={state} />
            </>
          ) : (
            <>
              <TextField name="amount" label={t("inv.amount")} state={state} />
              <TextField name="unit" label={t("inv.unit")} state={state} defaultValue={kind === "electricity" ? "kWh" : kind === "process_emission" ? "kg" : ""} maxLength={20} />
            </>
          )}
          {kind === "process_emission" ? <SelectField name="gas" label={t("inv.gas")} options={GASES.map((g) => ({ value: g, label: g }))} state={state} /> : null}
          {kind === "electricity" && supplyType === "green_certificate" ? (
            <>
              <TextField name="certificateIds" label={t("inv.certificateIds")} state={state} />
              <SelectField name="technology" label={t("inv.technology")} options={["wind", "pv", "biomass"].map((v) => ({ value: v, label: v }))} state={state} />
            </>
          ) : null}
          {kind === "electricity" && supplyType === "supplier" ? (
            <>
              <TextField name="supplierName" label={t("inv.supplierName")} state={state} />
              <TextField name="supplierFactor" label={t("inv.supplierFactor")} state={state} />
              <TextField name="supplierFactorYear" label={t("inv.supplierFactorYear")} state={state} />
            </>
          ) : null}
          {kind === "supplier_certificate" ? (
            <>
              <TextField name="certificateNumber" label={t("inv.certificateNumber")} state={state} />
              <TextField name="certifiedValue" label={t("inv.certifiedValue")} state={state} />
              <TextField name="certifiedUnitQuantity" label={t("inv.certifiedUnitQuantity")} state={state} defaultValue="1" />
              <TextField name="certifiedUnit" label={t("inv.certifiedUnit")} state={state} />
            </>
          ) : null}
          {kind === "sub_product" ? (
            <SelectField
              name="subProductId"
              label={t("inv.subProduct")}
              options={[{ value: "", label: "—" }, ...siblings.map((s) => ({ value: s.id, label: locale === "en" ? s.name_en : s.name_zh }))]}
              state={state}
            />
          ) : null}
        </div>
        <div className="kind-fields">
          <SelectField
            name="dataType"
            label={t("inv.dataType")}
            options={[
              { value: "primary", label: t("inv.primary") },
              { value: "secondary", label: t("inv.secondary") },
            ]}
            state={state}
          />
        </div>
        <fieldset>
          <legend>{t("inv.dq")}</legend>
          <div className="dq-grid">
            {(["reliability", "completeness", "temporal", "geographical", "technological"] as const).map((d) => (
              <SelectField key={d} name={d} label={t(`inv.dq.${d}`)} options={scores} state={state} defaultValue="2" />
            ))}
          </div>
        </fieldset>
        <TextField name="note" label={t("inv.note")} state={state} maxLength={2000} />
        <div>
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("inv.add")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export default function InventoryPage() {
  const { inventory, lines, pcr, result, presented, conformance, error, factors, siblings, lineLabels } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const locked = Boolean(inventory.locked_at);
  const factorName = (code: string | null) => {
    const f = factors.find((x) => x.code === code);
    return f ? `${locale === "en" ? f.en : f.zh} (${f.code})` : "";
  };
  return (
    <>
      <p className="small">
        <Link to={`/products/${inventory.product_id}`}>← {locale === "en" ? inventory.product_name_en : inventory.product_name_zh}</Link>
      </p>
      <h1>
        {t("inv.title")} · {inventory.period_start} – {inventory.period_end} · {t("inv.version")} {inventory.version}
      </h1>
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
            {inventory.production_quantity} {inventory.production_unit}
          </dd>
          <dt>{t("inv.version")}</dt>
          <dd>{locked ? t("inv.locked") : t("inv.editable")}</dd>
        </dl>
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
      {result && presented ? <ResultPanel result={result} presented={presented} lineLabels={lineLabels} /> : null}
      {conformance ? <ConformancePanel report={conformance} /> : null}
      <section className="card" aria-labelledby="lines-title">
        <h2 id="lines-title">{t("inv.lines")}</h2>
        {actionData?.intent === "delete-line" ? <FormErrors state={actionData} /> : null}
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
              {stageLines.length === 0 ? (
                <p className="muted small">{t("inv.noLines")}</p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th>{t("inv.name")}</th>
                        <th>{t("inv.kind")}</th>
                        <th className="num">{t("inv.amount")}</th>
                        <th>{t("inv.factor")}</th>
                        <th className="num">{t("res.contribution")} (kgCO₂e)</th>
                        <th />
                      </tr>
                    </thead>
                    <tbody>
                      {stageLines.map((line) => (
                        <tr key={line.id} data-line={line.name}>
                          <td>
                            {line.name}
                            <div className="muted small">{line.data_type === "primary" ? t("inv.primary") : t("inv.secondary")}</div>
                          </td>
                          <td>{t(`inv.kind.${line.kind as LineKindChoice}`)}</td>
                          <td className="num">
                            {line.amount ?? ""} {line.unit ?? ""}
                          </td>
                          <td className="small">{factorName(line.factor_code)}</td>
                          <td className="num">{contribution(line.id)?.kgCO2e.toPrecision(4) ?? "—"}</td>
                          <td>
                            {locked ? null : (
                              <Form method="post" preventScrollReset>
                                <input type="hidden" name="intent" value="delete-line" />
                                <input type="hidden" name="lineId" value={line.id} />
                                <button type="submit" className="secondary small-button" aria-label={`${t("inv.delete")} ${line.name}`}>
                                  {t("inv.delete")}
                                </button>
                              </Form>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          );
        })}
      </section>
      {locked ? null : <AddLineForm factors={factors} siblings={siblings} state={actionData?.intent === "add-line" ? actionData : undefined} />}
    </>
  );
}
