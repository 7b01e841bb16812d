/**
 * The inventory line form, for adding a line and for editing one in place (same fields, same
 * server-side validation). The emission factor is picked from a search over the inventory's
 * dataset, offering only factors that fit the line's kind; the unit is chosen from the units of
 * the factor's dimension.
 *
 * Without JavaScript the form still works: the search button sends the form's current values back
 * to the page (GET), which renders the results and the fields of the chosen kind. With JavaScript
 * the results follow the search box and the kind as the user types.
 *
 * The picker shows each factor's GWP basis. A factor the inventory's study cannot use (aggregated
 * under another GWP set its PCR refuses, CO2 only where it wants life-cycle electricity) is listed
 * after the usable ones, greyed out and not choosable, with the reason; one its PCR accepts only as
 * a disclosed deviation says so. A saved line that cannot be calculated opens with its error.
 *
 * A supplier line either cites a certificate, of which only the number is entered (the registry's
 * signed data gives the rest, shown read-only as soon as it is found), or states the supplier's own
 * figure, which is labelled supplier-declared, unverified and offered only as secondary data.
 */
import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { GASES } from "../../../rules/gwp.ts";
import { STAGE_NAMES, STAGES } from "../../../rules/stages.ts";
import type { FactorChoice, FactorSearchResult } from "../../services/factor-search.server.ts";
import type { CertificateLookup } from "../../services/inventory-line-form.server.ts";
import { LINE_KINDS, type LineKindChoice } from "../../utils/line-kinds.ts";
import { useLocale, useMessage, useT } from "../../utils/i18n-react.ts";
import { UNIT_GROUPS, unitsLike, unitSymbol } from "../../utils/unit-choices.ts";
import type { Message } from "../../i18n/index.ts";
import type { FieldErrors } from "../../utils/forms.ts";
import { browserLineFormSchema, lineFormError, SUPPLIER_SOURCES, type SupplierSource } from "../../utils/line-form.ts";
import { FieldShell, FormErrors, formValue, SelectField, TextField, type FormState } from "../form.tsx";

export interface Sibling {
  id: string;
  name_zh: string;
  name_en: string;
  /** Production unit of the product's latest inventory, if it has one. */
  unit: string | null;
}

const noSubscription = () => () => {};
const FACTOR_KINDS: readonly string[] = ["material", "fuel", "waste", "transport"];
const SEARCH_DELAY_MS = 200;

const value = (state: FormState | undefined, name: string, fallback = ""): string => formValue(state?.values, name, fallback);

/** A unit select: either one dimension's units or every unit grouped by dimension. */
function UnitSelect({
  name,
  label,
  units,
  selected,
  onChange,
  error,
}: {
  name: string;
  label: string;
  units: string[] | null;
  selected: string;
  onChange: (u: string) => void;
  error?: string;
}) {
  const id = `field-${name}`;
  return (
    <FieldShell id={id} label={label} error={error}>
      <select
        id={id}
        name={name}
        value={selected}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {units === null ? (
          <>
            <option value="">—</option>
            {UNIT_GROUPS.map((g) => (
              <optgroup key={g.dimension} label={g.dimension}>
                {g.units.map((u) => (
                  <option key={u} value={u}>
                    {unitSymbol(u)}
                  </option>
                ))}
              </optgroup>
            ))}
          </>
        ) : (
          units.map((u) => (
            <option key={u} value={u}>
              {unitSymbol(u)}
            </option>
          ))
        )}
      </select>
    </FieldShell>
  );
}

/** A factor's GWP basis as the picker names it: per gas, or CO2e under one set. */
function basisText(f: FactorChoice, t: ReturnType<typeof useT>): string {
  return f.basis.kind === "per_gas" ? t("inv.factor.basisPerGas") : t("inv.factor.basisCo2e", { gwpSet: f.basis.gwpSet });
}

function factorLabel(f: FactorChoice, locale: string, t: ReturnType<typeof useT>, message: ReturnType<typeof useMessage>): string {
  const name = locale === "en" ? f.en : f.zh;
  const region = locale === "en" ? f.regionName.en : f.regionName.zh;
  const basis = f.basis.kind === "per_gas" ? "" : ` · ${basisText(f, t)}`;
  const label = `${name} · ${unitSymbol(f.unit)} · ${region} · ${f.year} · ${f.code}${f.demonstration ? " · demo" : ""}${basis}`;
  // An option is plain text: the reason a factor is greyed out, or its deviation, is written into it.
  if (f.unusable) return `${label} — ${t("inv.factor.unusable")}${locale === "en" ? ": " : "："}${message(f.unusable) ?? ""}`;
  if (f.deviation) return `${label} — ${t("inv.factor.deviation")}`;
  return label;
}

/** Search box plus result list; the list is the form's `factorCode` field. */
function FactorPicker({
  results,
  selected,
  onSelect,
  query,
  onQuery,
  onSearchNow,
  loading,
  error,
}: {
  results: FactorSearchResult;
  selected: FactorChoice | null;
  onSelect: (code: string) => void;
  query: string;
  onQuery: (q: string) => void;
  onSearchNow: () => void;
  loading: boolean;
  error?: string;
}) {
  const t = useT();
  const locale = useLocale();
  const message = useMessage();
  const options = selected && !results.factors.some((f) => f.code === selected.code) ? [selected, ...results.factors] : results.factors;
  const greyed = results.factors.filter((f) => f.unusable).length;
  return (
    <fieldset className="factor-picker" data-testid="factor-picker">
      <legend>{t("inv.factor")}</legend>
      <div className="picker-search">
        <div className="field">
          <label htmlFor="field-factorQuery">{t("inv.factorSearch")}</label>
          <input
            id="field-factorQuery"
            name="factorQuery"
            type="search"
            value={query}
            autoComplete="off"
            aria-controls="field-factorCode"
            onChange={(e) => onQuery(e.target.value)}
            onKeyDown={(e) => {
              // Enter searches instead of submitting the whole line.
              if (e.key === "Enter") {
                e.preventDefault();
                onSearchNow();
              }
            }}
          />
        </div>
        <button type="submit" className="secondary" formMethod="get" formNoValidate name="search" value="1">
          {t("inv.searchFactors")}
        </button>
      </div>
      <p className="small muted" role="status" aria-live="polite" data-testid="factor-count">
        {loading ? t("inv.searching") : t("inv.factorResults", { shown: results.factors.length, total: results.total })}
        {!loading && greyed > 0 ? ` · ${t("inv.factorUnusableCount", { count: greyed })}` : ""}
      </p>
      <FieldShell id="field-factorCode" label={t("inv.chooseFactor")} error={error}>
        <select
          id="field-factorCode"
          name="factorCode"
          size={Math.min(8, Math.max(3, options.length + 1))}
          value={selected?.code ?? ""}
          onChange={(e) => onSelect(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "field-factorCode-error" : undefined}
        >
          <option value="">—</option>
          {options.map((f) => (
            // A factor the study cannot use stays listed with its reason but cannot be chosen (unless it is the line's own).
            <option
              key={f.code}
              value={f.code}
              disabled={f.unusable !== undefined && f.code !== selected?.code}
              className={f.unusable ? "factor-unusable" : undefined}
              data-unusable={f.unusable ? "true" : undefined}
            >
              {factorLabel(f, locale, t, message)}
            </option>
          ))}
        </select>
      </FieldShell>
      {selected ? (
        <p className="small" data-testid="selected-factor">
          {t("inv.selectedFactor")}: {locale === "en" ? selected.en : selected.zh} ({selected.code}) ·{" "}
          {locale === "en" ? selected.categoryName.en : selected.categoryName.zh} ·{" "}
          {locale === "en" ? selected.regionName.en : selected.regionName.zh} · {selected.year} ·{" "}
          {t("inv.perUnit", { unit: unitSymbol(selected.unit) })} · {t("inv.factorBasis")}: {basisText(selected, t)}
        </p>
      ) : null}
      {selected?.unusable ? (
        <p className="alert alert-error small" data-testid="selected-factor-unusable">
          {message(selected.unusable)}
        </p>
      ) : selected?.deviation ? (
        <p className="alert alert-warn small" data-testid="selected-factor-deviation">
          {message(selected.deviation)}
        </p>
      ) : null}
    </fieldset>
  );
}

/** What the editor shows of a cited certificate: from a lookup, or as the line stored it when saved. */
interface CertificateFacts {
  number: string;
  value: string;
  quantity: string;
  unit: string;
  pcr: string;
  holder: { zh: string; en: string };
  gwpSet: string;
  validUntil: string;
  issuer: string;
  status: string | null;
  /** The signed payload's SHA-256 when the facts come from a lookup now; null for what the line stored. */
  payloadSha256: string | null;
}

function factsOfLookup(lookup: CertificateLookup): CertificateFacts | null {
  const f = lookup.figures;
  if (!f) return null;
  return {
    number: lookup.number,
    value: f.value,
    quantity: f.declaredUnit.quantity,
    unit: f.declaredUnit.unit,
    pcr: `${f.pcr.code} ${f.pcr.version}`,
    holder: f.holder,
    gwpSet: f.gwpSet,
    validUntil: f.validUntil,
    issuer: `${f.issuer.name.zh === f.issuer.name.en ? f.issuer.name.zh : `${f.issuer.name.zh} / ${f.issuer.name.en}`} (${f.issuer.code})`,
    status: lookup.status,
    payloadSha256: f.payloadSha256,
  };
}

/** The facts a saved, verified citation keeps (`lineFormValues` puts them among the form's values). */
function factsOfSaved(state: FormState): CertificateFacts | null {
  if (value(state, "supplierSource") !== "certificate" || !value(state, "certificateIssuer")) return null;
  return {
    number: value(state, "certificateNumber"),
    value: value(state, "certifiedValue"),
    quantity: value(state, "certifiedUnitQuantity", "1"),
    unit: value(state, "certifiedUnit"),
    pcr: value(state, "certificatePcr"),
    holder: { zh: value(state, "certificateHolderZh"), en: value(state, "certificateHolderEn") },
    gwpSet: value(state, "certificateGwpSet"),
    validUntil: value(state, "certificateValidUntil"),
    issuer: value(state, "certificateIssuer"),
    status: null,
    payloadSha256: null,
  };
}

/** A cited certificate's figures, read-only, with where they come from. */
function CertificateFactsList({ facts }: { facts: CertificateFacts }) {
  const t = useT();
  const locale = useLocale();
  const dash = (text: string) => text || "—";
  return (
    <div data-testid="certificate-facts">
      <dl className="facts">
        <dt>{t("inv.cert.value")}</dt>
        <dd data-testid="certificate-value">
          {facts.value} kgCO₂e / {facts.quantity} {unitSymbol(facts.unit)}
        </dd>
        <dt>{t("inv.cert.pcr")}</dt>
        <dd>{dash(facts.pcr)}</dd>
        <dt>{t("inv.cert.holder")}</dt>
        <dd data-testid="certificate-holder">{dash(locale === "en" ? facts.holder.en : facts.holder.zh)}</dd>
        <dt>{t("inv.cert.gwpSet")}</dt>
        <dd>{dash(facts.gwpSet)}</dd>
        <dt>{t("inv.cert.validUntil")}</dt>
        <dd>{dash(facts.validUntil)}</dd>
        <dt>{t("inv.cert.issuer")}</dt>
        <dd>{dash(facts.issuer)}</dd>
        {facts.status ? (
          <>
            <dt>{t("inv.cert.status")}</dt>
            <dd>{t(`certstatus.${facts.status as "valid"}`)}</dd>
          </>
        ) : null}
      </dl>
      <p className="small muted">
        {facts.payloadSha256
          ? t("inv.cert.source", { number: facts.number, hash: facts.payloadSha256.slice(0, 16) })
          : t("inv.cert.sourceSaved", { number: facts.number })}
      </p>
    </div>
  );
}

/**
 * The number of the certificate a supplier line cites, looked up in the registry when it is
 * entered (on leaving the field, or with the button): the registry's figures are shown read-only,
 * or why this line cannot cite it. Only the number is sent with the line.
 */
function CertificateCitation({
  state,
  lookupUrl,
  live,
  onFacts,
}: {
  state: FormState;
  lookupUrl: string;
  live: boolean;
  onFacts: (facts: CertificateFacts | null) => void;
}) {
  const t = useT();
  const message = useMessage();
  const [number, setNumber] = useState(value(state, "certificateNumber"));
  const [lookup, setLookup] = useState<CertificateLookup | null>(null);
  const [looking, setLooking] = useState(false);
  const asked = useRef<string | null>(null);
  const saved = factsOfSaved(state);
  const lookUp = useCallback(
    async (text: string) => {
      const wanted = text.trim().toUpperCase();
      if (!wanted || asked.current === wanted) return;
      asked.current = wanted;
      setLooking(true);
      try {
        const response = await fetch(`${lookupUrl}?${new URLSearchParams({ number: wanted })}`, { headers: { Accept: "application/json" } });
        if (!response.ok || asked.current !== wanted) return;
        const found = (await response.json()) as CertificateLookup;
        setLookup(found);
        onFacts(found.problem ? null : factsOfLookup(found));
      } catch {
        // Offline: the line is still checked against the registry when it is saved.
        asked.current = null;
      } finally {
        setLooking(false);
      }
    },
    [lookupUrl, onFacts],
  );
  // A number sent back with an error (or from a draft) is looked up again when the page opens.
  // (A saved citation shows what it stored until the number changes; `asked` keeps it to one lookup.)
  const opened = useRef(value(state, "certificateNumber"));
  const shownSaved = saved !== null;
  useEffect(() => {
    if (live && opened.current && !shownSaved) void lookUp(opened.current);
  }, [live, lookUp, shownSaved]);
  const serverError = message(state.errors?.certificateNumber);
  const current = lookup && lookup.number === number.trim().toUpperCase() ? lookup : null;
  const lookupError = current?.problem?.field === "certificateNumber" ? message(current.problem.message) : undefined;
  const facts = current ? factsOfLookup(current) : number.trim().toUpperCase() === saved?.number ? saved : null;
  const id = "field-certificateNumber";
  const error = serverError ?? lookupError;
  return (
    <fieldset className="certificate-citation" data-testid="certificate-citation">
      <legend>{t("inv.supplierSource.certificate")}</legend>
      <FieldShell id={id} label={t("inv.certificateNumber")} error={error} hint={t("inv.certFilled")}>
        <input
          id={id}
          name="certificateNumber"
          type="text"
          maxLength={60}
          autoComplete="off"
          value={number}
          onChange={(e) => {
            setNumber(e.target.value);
            // The units offered follow the certificate now named, not the one looked up before.
            const typed = e.target.value.trim().toUpperCase();
            onFacts(lookup?.number === typed && !lookup.problem ? factsOfLookup(lookup) : saved?.number === typed ? saved : null);
          }}
          onBlur={() => void lookUp(number)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
        />
      </FieldShell>
      {live ? (
        <button type="button" className="secondary" onClick={() => void lookUp(number)} disabled={looking || !number.trim()}>
          {t("inv.lookUpCertificate")}
        </button>
      ) : null}
      <p className="small muted" role="status" aria-live="polite">
        {looking ? t("inv.lookingUp") : ""}
      </p>
      {facts ? <CertificateFactsList facts={facts} /> : null}
    </fieldset>
  );
}

/** The label and rule of a supplier's own figure. */
function SupplierDeclaredNote() {
  const t = useT();
  return (
    <p className="small" data-testid="supplier-declared-note">
      <span className="tag">{t("inv.supplierDeclared")}</span> {t("inv.supplierDeclaredHint")}
    </p>
  );
}

export function LineForm({
  mode,
  lineId,
  state: submitted,
  factorResults,
  selectedFactor,
  siblings,
  gwpSet,
  searchUrl,
  certificateUrl,
  cancelHref,
  lineError,
}: {
  mode: "add" | "edit";
  lineId?: string;
  state: FormState;
  /** The inventory's GWP set, which a supplier's factor and a cited certificate are stated in. */
  gwpSet: string;
  factorResults: FactorSearchResult;
  selectedFactor: FactorChoice | null;
  siblings: Sibling[];
  searchUrl: string;
  /** The registry lookup for a cited certificate; by default the factor search's sibling (`…/certificate`). */
  certificateUrl?: string;
  cancelHref?: string;
  /** Why the line being edited cannot be calculated, when it cannot (the result leaves it out). */
  lineError?: string;
}) {
  const t = useT();
  const locale = useLocale();
  const message = useMessage();
  const navigation = useNavigation();
  // Conform validates in the browser with the server's schema (less the dataset and registry
  // checks): a field is checked when it loses focus, again as it is corrected, and all on submit.
  // The server's answer comes in as the last result, so its errors show, also without JavaScript.
  const lastResult = useMemo(
    () =>
      submitted.errors
        ? {
            status: "error" as const,
            error: Object.fromEntries(Object.entries(submitted.errors).flatMap(([field, m]) => (m ? [[field === "form" ? "" : field, [m]]] : []))),
          }
        : undefined,
    [submitted.errors],
  );
  const schema = useMemo(() => browserLineFormSchema({ gwpSet }), [gwpSet]);
  const [form] = useForm<Record<string, unknown>, unknown, Message[]>({
    id: mode === "add" ? "add-line-fields" : "edit-line-fields",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema, formatError: lineFormError }),
  });
  const errors: FieldErrors = Object.fromEntries(
    Object.entries(form.allErrors).flatMap(([field, list]) => (list[0] ? [[field || "form", list[0]]] : [])),
  );
  const state: FormState = { values: submitted.values, errors };
  const [kind, setKind] = useState<LineKindChoice>(
    (LINE_KINDS as readonly string[]).includes(value(state, "kind")) ? (value(state, "kind") as LineKindChoice) : "material",
  );
  const [supplyType, setSupplyType] = useState(value(state, "supplyType", "grid"));
  const [query, setQuery] = useState(value(state, "factorQuery"));
  const [results, setResults] = useState(factorResults);
  const [loading, setLoading] = useState(false);
  const [known, setKnown] = useState<Record<string, FactorChoice>>(() =>
    Object.fromEntries([...factorResults.factors, ...(selectedFactor ? [selectedFactor] : [])].map((f) => [f.code, f])),
  );
  const [factorCode, setFactorCode] = useState(selectedFactor?.code ?? "");
  const [unit, setUnit] = useState(value(state, "unit"));
  const [certifiedUnit, setCertifiedUnit] = useState(value(state, "certifiedUnit"));
  const [supplierSource, setSupplierSource] = useState<SupplierSource>(value(state, "supplierSource") === "declared" ? "declared" : "certificate");
  const [citedFacts, setCitedFacts] = useState<CertificateFacts | null>(factsOfSaved(submitted));
  const [subProductId, setSubProductId] = useState(value(state, "subProductId"));
  // Set once React runs in the browser: the live search exists only from then on.
  const live = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const firstSearch = useRef(true);
  const pending = useRef<AbortController | null>(null);

  const needsFactor = FACTOR_KINDS.includes(kind) || (kind === "electricity" && supplyType === "onsite");

  const search = useCallback(
    async (q: string, k: string, s: string) => {
      pending.current?.abort();
      const controller = new AbortController();
      pending.current = controller;
      setLoading(true);
      try {
        const params = new URLSearchParams({ q, kind: k, supplyType: s });
        const response = await fetch(`${searchUrl}?${params}`, { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const found = (await response.json()) as FactorSearchResult;
        setResults(found);
        setKnown((before) => ({ ...before, ...Object.fromEntries(found.factors.map((f) => [f.code, f])) }));
      } catch {
        // Aborted by a newer search, or offline: the previous results stay and the search button still works.
      } finally {
        if (pending.current === controller) setLoading(false);
      }
    },
    [searchUrl],
  );

  // Results follow the search box, the kind and the electricity supply (debounced).
  useEffect(() => {
    if (firstSearch.current) {
      firstSearch.current = false;
      return;
    }
    if (!needsFactor) return;
    const timer = setTimeout(() => void search(query, kind, supplyType), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, kind, supplyType, needsFactor, search]);
  useEffect(() => () => pending.current?.abort(), []);

  const selected = factorCode ? (known[factorCode] ?? null) : null;
  const unitError = message(state.errors?.unit);
  const submittedUnit = value(state, "unit");

  // Units offered: the selected factor's dimension, else the dimension every result shares, else by kind.
  let unitChoices: string[] | null = null;
  if (kind === "electricity") unitChoices = unitsLike("kWh");
  else if (kind === "process_emission") unitChoices = unitsLike("kg");
  else if (needsFactor) {
    const dimensions = new Set(results.factors.map((f) => f.units.join()));
    unitChoices = selected ? selected.units : dimensions.size === 1 ? results.factors[0]!.units : null;
  } else if (kind === "supplier_certificate" && supplierSource === "certificate" && citedFacts) unitChoices = unitsLike(citedFacts.unit);
  else if (kind === "supplier_certificate" && supplierSource === "declared" && certifiedUnit) unitChoices = unitsLike(certifiedUnit);
  else if (kind === "sub_product") {
    const produced = siblings.find((s) => s.id === subProductId)?.unit;
    unitChoices = produced ? unitsLike(produced) : null;
  }
  // A refused unit stays visible next to its error message.
  if (unitChoices && unitError && submittedUnit && !unitChoices.includes(submittedUnit)) unitChoices = [...unitChoices, submittedUnit];
  // The factor's own activity unit is the natural default (kg for a per-kg factor, not mg).
  const activityUnit = selected?.unit ?? (needsFactor && unitChoices ? results.factors[0]?.unit : undefined);
  const defaultUnit = kind === "electricity" ? "kWh" : kind === "process_emission" ? "kg" : (activityUnit ?? unitChoices?.[0] ?? "");
  const effectiveUnit = unitChoices === null ? unit : unitChoices.includes(unit) ? unit : defaultUnit;

  const stageOptions = STAGES.map((s) => ({ value: s, label: locale === "en" ? STAGE_NAMES[s].en : STAGE_NAMES[s].zh }));
  const scores = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n) }));
  const titleId = mode === "add" ? "add-line-title" : "edit-line-title";
  const submitting = navigation.state === "submitting" && navigation.formMethod?.toUpperCase() === "POST";
  const allUnits = UNIT_GROUPS.flatMap((g) => g.units);
  // A supplier's own figure (a declared supplier line, electricity at the supplier's factor) is unverified.
  const supplierDeclared =
    (kind === "supplier_certificate" && supplierSource === "declared") || (kind === "electricity" && supplyType === "supplier");
  // Without JavaScript both ways of giving a supplier's figure are on the page; the chosen source decides.
  const showCitation = !live || supplierSource === "certificate";
  const showDeclared = !live || supplierSource === "declared";

  return (
    <section
      className="card"
      aria-labelledby={titleId}
      id={mode === "add" ? "add-line" : "line-editor"}
      data-testid={mode === "add" ? "add-line-form" : "edit-line-form"}
      data-live={live}
    >
      <h2 id={titleId}>{mode === "add" ? t("inv.addLine") : t("inv.editLine", { name: value(state, "name") })}</h2>
      {lineError ? (
        <p className="alert alert-error" role="alert" data-testid="line-unusable-note">
          {t("inv.lineUnusableEdit", { reason: lineError })}
        </p>
      ) : null}
      <FormErrors state={state} />
      <Form
        method="post"
        className="stack wide"
        id={form.id}
        noValidate
        preventScrollReset
        onSubmit={(event) => {
          // The factor search button sends a draft, not a line: nothing to validate. (Conform's own
          // validation requests are formnovalidate too, so the button is told by its name.)
          if ((event.nativeEvent as SubmitEvent).submitter?.getAttribute("name") === "search") return;
          form.onSubmit(event);
        }}
      >
        {/* The first submit button is the one Enter presses: make it the line's own, not the search. */}
        <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true">
          {mode === "add" ? t("inv.add") : t("inv.save")}
        </button>
        <input type="hidden" name="intent" value={mode === "add" ? "add-line" : "edit-line"} />
        {lineId ? <input type="hidden" name="line" value={lineId} /> : null}
        <div className="kind-fields">
          <SelectField name="stage" label={t("inv.stage")} options={stageOptions} state={state} defaultValue="production" />
          <div className="field">
            <label htmlFor="field-kind">{t("inv.kind")}</label>
            <select
              id="field-kind"
              name="kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as LineKindChoice);
                // A factor of another kind would not fit: pick again from the new kind's results.
                setFactorCode("");
              }}
            >
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
        {needsFactor ? (
          <FactorPicker
            results={results}
            selected={selected}
            onSelect={setFactorCode}
            query={query}
            onQuery={setQuery}
            onSearchNow={() => void search(query, kind, supplyType)}
            loading={loading}
            error={message(state.errors?.factorCode)}
          />
        ) : null}
        <div className="kind-fields">
          {kind === "transport" ? (
            <>
              <TextField name="mass" label={t("inv.mass")} state={state} />
              <SelectField
                name="massUnit"
                label={t("inv.unit")}
                options={unitsLike("kg").map((u) => ({ value: u, label: unitSymbol(u) }))}
                state={state}
                defaultValue="t"
              />
              <TextField name="distance" label={t("inv.distance")} state={state} />
            </>
          ) : (
            <>
              <TextField name="amount" label={t("inv.amount")} state={state} />
              <UnitSelect name="unit" label={t("inv.unit")} units={unitChoices} selected={effectiveUnit} onChange={setUnit} error={unitError} />
            </>
          )}
          {kind === "process_emission" ? (
            <SelectField name="gas" label={t("inv.gas")} options={GASES.map((g) => ({ value: g, label: g }))} state={state} />
          ) : null}
          {kind === "electricity" && supplyType === "green_certificate" ? (
            <>
              <TextField name="certificateIds" label={t("inv.certificateIds")} state={state} />
              <SelectField
                name="technology"
                label={t("inv.technology")}
                options={["wind", "pv", "biomass"].map((v) => ({ value: v, label: v }))}
                state={state}
              />
            </>
          ) : null}
          {kind === "electricity" && supplyType === "supplier" ? (
            <>
              <SupplierDeclaredNote />
              <TextField name="supplierName" label={t("inv.supplierName")} state={state} />
              <TextField name="supplierFactor" label={t("inv.supplierFactor")} state={state} />
              <TextField name="supplierFactorYear" label={t("inv.supplierFactorYear")} state={state} />
            </>
          ) : null}
          {kind === "supplier_certificate" ? (
            <div className="stack">
              <div className="field">
                <label htmlFor="field-supplierSource">{t("inv.supplierSource")}</label>
                <select
                  id="field-supplierSource"
                  name="supplierSource"
                  value={supplierSource}
                  onChange={(e) => setSupplierSource(e.target.value === "declared" ? "declared" : "certificate")}
                >
                  {SUPPLIER_SOURCES.map((source) => (
                    <option key={source} value={source}>
                      {t(`inv.supplierSource.${source}`)}
                    </option>
                  ))}
                </select>
              </div>
              {showCitation ? (
                <CertificateCitation
                  state={state}
                  lookupUrl={certificateUrl ?? searchUrl.replace(/\/factors$/, "/certificate")}
                  live={live}
                  onFacts={setCitedFacts}
                />
              ) : null}
              {showDeclared ? (
                <fieldset data-testid="supplier-declared">
                  <legend>{t("inv.supplierSource.declared")}</legend>
                  <SupplierDeclaredNote />
                  {value(state, "uncheckedCertificate") ? (
                    <p className="alert alert-warn small">{t("inv.legacyCertificate", { number: value(state, "uncheckedCertificate") })}</p>
                  ) : null}
                  <TextField name="supplierName" label={t("inv.declaredSupplier")} state={state} maxLength={200} />
                  <TextField name="certifiedValue" label={t("inv.declaredValue")} state={state} />
                  <TextField name="certifiedUnitQuantity" label={t("inv.certifiedUnitQuantity")} state={state} defaultValue="1" />
                  <UnitSelect
                    name="certifiedUnit"
                    label={t("inv.declaredUnit")}
                    units={null}
                    selected={allUnits.includes(certifiedUnit) ? certifiedUnit : ""}
                    onChange={setCertifiedUnit}
                    error={message(state.errors?.certifiedUnit)}
                  />
                  <TextField name="supplierFactorYear" label={t("inv.declaredYear")} state={state} />
                </fieldset>
              ) : null}
            </div>
          ) : null}
          {kind === "sub_product" ? (
            <FieldShell id="field-subProductId" label={t("inv.subProduct")} error={message(state.errors?.subProductId)}>
              <select
                id="field-subProductId"
                name="subProductId"
                value={subProductId}
                onChange={(e) => setSubProductId(e.target.value)}
                aria-invalid={state.errors?.subProductId ? true : undefined}
                aria-describedby={state.errors?.subProductId ? "field-subProductId-error" : undefined}
              >
                <option value="">—</option>
                {siblings.map((s) => (
                  <option key={s.id} value={s.id}>
                    {locale === "en" ? s.name_en : s.name_zh}
                  </option>
                ))}
              </select>
            </FieldShell>
          ) : null}
        </div>
        <div className="kind-fields">
          <SelectField
            // Remounted when the choice narrows, so the select shows what will be sent.
            key={supplierDeclared ? "declared" : "any"}
            name="dataType"
            label={t("inv.dataType")}
            options={[
              ...(supplierDeclared ? [] : [{ value: "primary", label: t("inv.primary") }]),
              { value: "secondary", label: t("inv.secondary") },
            ]}
            state={supplierDeclared ? { ...state, values: { ...state.values, dataType: "secondary" } } : state}
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
        <div className="button-row">
          <button type="submit" disabled={submitting}>
            {mode === "add" ? t("inv.add") : t("inv.save")}
          </button>
          {cancelHref ? (
            <Link to={cancelHref} className="button secondary">
              {t("inv.cancel")}
            </Link>
          ) : null}
        </div>
      </Form>
    </section>
  );
}
