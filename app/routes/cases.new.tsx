import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { fromNumeric } from "../../db/decimal.ts";
import { formatPercent, roundToSignificant } from "../../rules/format.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { FormErrors, SelectField, TextField, useValidatedForm } from "../components/form.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { accreditedBodies, applicableInventories, applyForLabel, earlierCertificates } from "../services/cases/application.server.ts";
import { findInventory, inventoryFootprint } from "../services/inventories.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { ApplicationSchema, LABEL_TYPE_CODES } from "../utils/case-forms.ts";
import { readForm } from "../utils/read-form.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";

const LABEL_TEXT: Record<(typeof LABEL_TYPE_CODES)[number], { name: MessageKey; text: MessageKey }> = {
  CF: { name: "home.label.CF.name", text: "home.label.CF.text" },
  LC: { name: "home.label.LC.name", text: "home.label.LC.text" },
  RC: { name: "home.label.RC.name", text: "home.label.RC.text" },
  CN: { name: "home.label.CN.name", text: "home.label.CN.text" },
};

/**
 * Applying for a label: choose one of the organization's inventories, see the footprint and
 * conformance result the application will rest on, then choose the label type and a certification
 * body accredited for the inventory's PCR (no other is offered, and the server checks again).
 * The case opens as a draft, where documents are attached before it is submitted.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "case:apply");
  const inventories = await applicableInventories(db, organizationId);
  const chosen = await findInventory(db, organizationId, new URL(request.url).searchParams.get("inventory") ?? undefined);
  if (!chosen) return { inventories, selected: null };
  const footprint = await inventoryFootprint(db, organizationId, chosen);
  const pcr = PCR_CATALOGUE.get(chosen.pcr_code, chosen.pcr_version);
  const bodies = await accreditedBodies(db, chosen.pcr_code);
  const earlier = await earlierCertificates(db, chosen.product_id, chosen.pcr_code, chosen.id);
  const per = `${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit}`;
  return {
    inventories,
    selected: {
      id: chosen.id,
      product: { zh: chosen.product_name_zh, en: chosen.product_name_en },
      period: `${chosen.period_start} – ${chosen.period_end}`,
      version: chosen.version,
      pcr: { code: pcr.code, version: pcr.version, name: pcr.name },
      per,
      total: footprint.result ? roundToSignificant(footprint.result.total, 4) : null,
      error: footprint.error,
      conformance: footprint.conformance
        ? { passed: footprint.conformance.passed, checks: footprint.conformance.summary.checks, failed: footprint.conformance.summary.failed }
        : null,
      bodies,
      earlier: earlier.map((c) => ({ ...c, verified_value: roundToSignificant(fromNumeric(c.verified_value), 4) })),
      benchmark: pcr.labels.lowCarbonBenchmark
        ? { value: pcr.labels.lowCarbonBenchmark.kgCO2ePerDeclaredUnit, demonstration: Boolean(pcr.labels.lowCarbonBenchmark.demonstration) }
        : null,
      minimumReduction: formatPercent(pcr.labels.reducedCarbon.minimumReduction),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user, organizationId, locale } = await requirePermission(request, "case:apply");
  const formData = await readForm(request);
  // PostgreSQL text cannot hold NUL: a 400 naming the field, not a failed insert.
  refuseNulBytes(request, locale, { form: formData });
  const outcome = await applyForLabel(db, { userId: user.id, organizationId }, formData, locale);
  if (!outcome.ok) return data({ errors: outcome.errors, values: outcome.values }, { status: outcome.status });
  throw redirect(`/cases/${outcome.caseId}`);
}

export default function Apply() {
  const { inventories, selected } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const { state, formProps } = useValidatedForm({ id: "application", schema: ApplicationSchema, submitted: actionData });
  const labels = {
    inventoryId: t("apply.inventory"),
    labelType: t("case.label"),
    cbOrganizationId: t("apply.cb"),
    claimStart: t("case.f.claimStart"),
    claimEnd: t("case.f.claimEnd"),
    claimQuantity: t("case.f.claimQuantity", { per: selected?.per ?? "" }),
  };
  return (
    <>
      <p className="small">
        <Link to="/cases">← {t("cases.myApplications")}</Link>
      </p>
      <h1>{t("apply.title")}</h1>
      <section className="card">
        <h2>{t("apply.inventory")}</h2>
        {inventories.length === 0 ? (
          <p className="muted">
            {t("apply.noInventories")} <Link to="/products">{t("nav.products")}</Link>
          </p>
        ) : (
          <Form method="get" className="filters">
            <label className="sr-only" htmlFor="inventory">
              {t("apply.inventory")}
            </label>
            <select id="inventory" name="inventory" defaultValue={selected?.id ?? ""}>
              <option value="">{t("case.f.choose")}</option>
              {inventories.map((i) => (
                <option key={i.id} value={i.id}>
                  {text({ zh: i.product_name_zh, en: i.product_name_en })} · {i.period_start} – {i.period_end} · {t("inv.version")} {i.version} ·{" "}
                  {i.pcr_code}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              {t("apply.choose")}
            </button>
          </Form>
        )}
      </section>
      {selected ? (
        <>
          <section className="card" data-testid="apply-basis">
            <h2>{t("apply.basis")}</h2>
            <dl className="facts">
              <dt>{t("case.product")}</dt>
              <dd>{text(selected.product)}</dd>
              <dt>{t("case.inventory")}</dt>
              <dd>
                {selected.period} · {t("inv.version")} {selected.version} · <Link to={`/inventories/${selected.id}`}>{t("apply.openInventory")}</Link>
              </dd>
              <dt>{t("inv.pcr")}</dt>
              <dd>
                {text(selected.pcr.name)} · {selected.pcr.code} v{selected.pcr.version}
              </dd>
              <dt>{t("case.declaredValue")}</dt>
              <dd data-testid="apply-total">
                {selected.total ? `${selected.total} kgCO₂e / ${selected.per}` : "—"} <span className="muted small">{t("apply.computed")}</span>
              </dd>
              <dt>{t("conf.title")}</dt>
              <dd data-testid="apply-conformance" data-passed={selected.conformance?.passed}>
                {selected.conformance ? t("conf.summary", { checks: selected.conformance.checks, failed: selected.conformance.failed }) : "—"}
              </dd>
            </dl>
            {selected.error ? (
              <p className="alert alert-error" role="alert">
                {t("res.error")}: {text(selected.error)}
              </p>
            ) : null}
            {selected.conformance && !selected.conformance.passed ? <p className="alert alert-warn">{t("apply.conformanceWarning")}</p> : null}
          </section>
          {selected.total ? (
            <section className="card">
              <h2>{t("apply.label")}</h2>
              <FormErrors state={state} labels={labels} />
              <Form method="post" className="stack" {...formProps}>
                <input type="hidden" name="inventoryId" value={selected.id} />
                <fieldset className="field">
                  <legend>{labels.labelType}</legend>
                  {LABEL_TYPE_CODES.map((l) => (
                    <label key={l} className="checkbox">
                      <input type="radio" name="labelType" value={l} defaultChecked={(state.values?.labelType ?? "CF") === l} /> {l} ·{" "}
                      {t(LABEL_TEXT[l].name)}
                      <span className="hint"> — {t(LABEL_TEXT[l].text)}</span>
                    </label>
                  ))}
                </fieldset>
                <ul className="small">
                  <li>
                    {selected.benchmark
                      ? t("apply.lcBenchmark", { value: selected.benchmark.value, per: selected.per }) +
                        (selected.benchmark.demonstration ? ` ${t("case.demonstration")}` : "")
                      : t("apply.lcNone")}
                  </li>
                  <li data-testid="apply-rc">
                    {t("apply.rcEarlier", { count: selected.earlier.length, minimum: selected.minimumReduction })}
                    {selected.earlier.length > 0
                      ? ` ${selected.earlier.map((c) => `${c.number} (${c.verified_value} kgCO₂e / ${c.declared_unit_quantity} ${c.declared_unit}, ${c.issued_on})`).join("; ")}`
                      : ""}
                  </li>
                </ul>
                <SelectField
                  name="cbOrganizationId"
                  label={labels.cbOrganizationId}
                  state={state}
                  options={[
                    { value: "", label: t("case.f.choose") },
                    ...selected.bodies.map((b) => ({
                      value: b.id,
                      label: `${text({ zh: b.name_zh, en: b.name_en })}${b.cb_code ? ` (${b.cb_code})` : ""}`,
                    })),
                  ]}
                />
                <p className="hint">{t("apply.cbHint", { pcr: selected.pcr.code, count: selected.bodies.length })}</p>
                <fieldset className="field">
                  <legend>{t("apply.cnClaim")}</legend>
                  <TextField name="claimStart" type="date" label={labels.claimStart} state={state} />
                  <TextField name="claimEnd" type="date" label={labels.claimEnd} state={state} />
                  <TextField name="claimQuantity" label={labels.claimQuantity} state={state} maxLength={30} />
                </fieldset>
                <div>
                  <button type="submit">{t("apply.submit")}</button>
                </div>
              </Form>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
