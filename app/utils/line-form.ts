/**
 * The inventory line form as a projection of the calculator's line (`InventoryLineSchema` in
 * rules/calculator/schema.ts, the one definition of a line). The form posts flat text fields so it
 * works without JavaScript; this module turns them into the calculator line's shape, validates that
 * with the rules schema itself, and maps each issue's path in the line back to the form field it
 * came from, as a `{ key, params }` message. The same code runs in the browser (Conform's
 * client-side validation), in the editor's action and in the workbook import.
 *
 * What the rules schema cannot know lives elsewhere: the name (a database column, not part of the
 * calculation), and checks against the inventory's factor dataset, the organization's products and
 * the certificate registry (`buildLine` in app/services/inventory-line-form.server.ts).
 */
import { z } from "zod";
import { InventoryLineSchema, type InventoryLine } from "../../rules/calculator/schema.ts";
import { isSupplierDeclared } from "../../rules/calculator/quality.ts";
import { lineIssueMessage } from "../../rules/calculator/line-issues.ts";
import type { Message, MessageKey } from "../i18n/index.ts";
import type { FieldErrors } from "./forms.ts";

const optionalText = (max: number) => z.string().trim().max(max).optional();

/**
 * The fields the form posts, every one text and only bounded here (the limits protect the
 * database and the layout): what they must hold is the rules schema's to say (`validateLineForm`).
 */
export const LineFormSchema = z.object({
  stage: optionalText(100),
  kind: optionalText(100),
  name: optionalText(200),
  dataType: optionalText(100),
  reliability: optionalText(20),
  completeness: optionalText(20),
  temporal: optionalText(20),
  geographical: optionalText(20),
  technological: optionalText(20),
  note: z.string().trim().max(2000).optional().default(""),
  amount: optionalText(100),
  unit: optionalText(20),
  factorCode: optionalText(100),
  supplyType: optionalText(100),
  certificateIds: z.string().max(200_000).optional(),
  technology: optionalText(100),
  supplierName: optionalText(200),
  supplierFactor: optionalText(100),
  supplierFactorYear: optionalText(100),
  mass: optionalText(100),
  massUnit: optionalText(20),
  distance: optionalText(100),
  gas: optionalText(20),
  supplierSource: optionalText(20),
  certificateNumber: optionalText(60),
  certifiedValue: optionalText(100),
  certifiedUnitQuantity: optionalText(100),
  certifiedUnit: optionalText(20),
  subProductId: optionalText(200),
});
export type LineFormFields = z.infer<typeof LineFormSchema>;

/** A cited certificate as a line holds it: every member filled from the registry's signed payload. */
export type CitedLineCertificate = NonNullable<Extract<InventoryLine, { kind: "supplier_certificate" }>["certificate"]>;

/** What a line gets from its inventory, or from the registry, rather than from the form. */
export interface LineFormOptions {
  /** The study's GWP set: a supplier's own figure is stated in it, and a cited certificate must be. */
  gwpSet: string;
  /**
   * The certificate a supplier line cites, as the registry's signed payload states it (the server
   * looks it up). Without it (in the browser) only the number is checked: the rest is the registry's.
   */
  cited?: CitedLineCertificate;
}

/** Where a supplier line's figure comes from: a certificate the registry holds, or the supplier's word. */
export const SUPPLIER_SOURCES = ["certificate", "declared"] as const;
export type SupplierSource = (typeof SUPPLIER_SOURCES)[number];

/**
 * The source of a supplier line's figure: as the form says, or, where it does not say (a workbook
 * has no such column), read from what is filled in: a certificate number cites, a supplier's name or
 * figure without one is declared.
 */
export function supplierSourceOf(form: LineFormFields): SupplierSource {
  if (form.supplierSource === "certificate" || form.supplierSource === "declared") return form.supplierSource;
  if (form.certificateNumber) return "certificate";
  return form.supplierName || form.certifiedValue ? "declared" : "certificate";
}

/**
 * Columns a workbook has and the form does not (cut-off exclusion, claimed kWh of green
 * certificates, a cited certificate's validity), already read into their types. A certificate's
 * validity, where a file states it, must be the registry's.
 */
export interface LineExtras {
  excluded?: boolean;
  estimatedShare?: number;
  periodKWh?: number;
  certificateValidUntil?: string;
}

export const DATA_QUALITY_FIELDS = ["reliability", "completeness", "temporal", "geographical", "technological"] as const;

/**
 * The form field each member of a calculator line is entered in. A path not listed here belongs
 * to no field (a value the inventory supplies, such as the GWP set) and is reported on the form.
 */
const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  stage: "stage",
  kind: "kind",
  dataType: "dataType",
  note: "note",
  amount: "amount",
  unit: "unit",
  factorCode: "factorCode",
  gas: "gas",
  productId: "subProductId",
  excluded: "excluded",
  estimatedShare: "estimatedShare",
  ...Object.fromEntries(DATA_QUALITY_FIELDS.map((d) => [`dataQuality.${d}`, d])),
  dataQuality: "reliability",
  "mass.amount": "mass",
  "mass.unit": "massUnit",
  "distance.amount": "distance",
  "distance.unit": "distance",
  supply: "supplyType",
  "supply.type": "supplyType",
  "supply.technology": "technology",
  "supply.certificateIds": "certificateIds",
  "supply.periodKWh": "periodKWh",
  "supply.supplier": "supplierName",
  "supply.factor.co2e.value": "supplierFactor",
  "supply.factor.year": "supplierFactorYear",
  "supply.factor.source": "supplierName",
  "supply.factorCode": "factorCode",
  certificate: "certificateNumber",
  "certificate.number": "certificateNumber",
  "certificate.kgCO2ePerDeclaredUnit": "certifiedValue",
  "certificate.declaredUnit.quantity": "certifiedUnitQuantity",
  "certificate.declaredUnit.unit": "certifiedUnit",
  "certificate.issuer": "certificateIssuer",
  "certificate.validUntil": "certificateValidUntil",
  declared: "supplierName",
  "declared.supplier": "supplierName",
  "declared.kgCO2ePerDeclaredUnit": "certifiedValue",
  "declared.declaredUnit.quantity": "certifiedUnitQuantity",
  "declared.declaredUnit.unit": "certifiedUnit",
  "declared.year": "supplierFactorYear",
};

/** The form field a path in a calculator line is entered in ("form" when none is). */
export function fieldOfLinePath(path: readonly PropertyKey[]): string {
  // Array members (one certificate id of many) are reported on the list's field.
  const names = path.filter((p): p is string => typeof p === "string");
  for (let length = names.length; length > 0; length--) {
    const field = FIELD_OF_PATH[names.slice(0, length).join(".")];
    if (field) return field;
  }
  return "form";
}

/**
 * The label of each form field, for messages that name the field outside the form (a stored
 * line that no longer parses).
 */
export const LINE_FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  stage: "inv.stage",
  kind: "inv.kind",
  name: "inv.name",
  dataType: "inv.dataType",
  note: "inv.note",
  amount: "inv.amount",
  unit: "inv.unit",
  factorCode: "inv.factor",
  gas: "inv.gas",
  subProductId: "inv.subProduct",
  supplyType: "inv.supply",
  technology: "inv.technology",
  certificateIds: "inv.certificateIds",
  supplierName: "inv.supplierName",
  supplierFactor: "inv.supplierFactor",
  supplierFactorYear: "inv.supplierFactorYear",
  mass: "inv.mass",
  massUnit: "inv.unit",
  distance: "inv.distance",
  supplierSource: "inv.supplierSource",
  certificateNumber: "inv.certificateNumber",
  certifiedValue: "inv.certifiedValue",
  certifiedUnitQuantity: "inv.certifiedUnitQuantity",
  certifiedUnit: "inv.certifiedUnit",
  ...Object.fromEntries(DATA_QUALITY_FIELDS.map((d) => [d, `inv.dq.${d}` as const])),
};

/**
 * A number typed as text: undefined when empty (the schema then says "required"), the text itself
 * when it is not a number (the schema then says "enter a number").
 */
function numberOrText(text: string | undefined): number | string | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text.trim());
  return Number.isNaN(value) ? text : value;
}

const present = <T extends object>(members: T): Partial<T> =>
  Object.fromEntries(Object.entries(members).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Splits a list of certificate ids typed with spaces, commas or semicolons (either width). */
export function certificateIdList(text: string | undefined): string[] {
  return (text ?? "").split(/[\s,;，；]+/).filter(Boolean);
}

/**
 * The calculator line the form describes, not yet validated: how the editor's fields map onto the
 * line's members. Values that are not what the schema wants are passed on as they are, so the
 * schema names them.
 */
export function lineInputFromForm(form: LineFormFields, options: LineFormOptions, extras: LineExtras = {}): Record<string, unknown> {
  const line: Record<string, unknown> = {
    // A line in the making has no id yet; the rules schema still wants one.
    id: "new-line",
    kind: form.kind,
    stage: form.stage,
    dataType: form.dataType,
    dataQuality: Object.fromEntries(DATA_QUALITY_FIELDS.map((d) => [d, numberOrText(form[d])])),
    ...present({ note: form.note || undefined, excluded: extras.excluded || undefined, estimatedShare: extras.estimatedShare }),
  };
  const amount = numberOrText(form.amount);
  switch (form.kind) {
    case "material":
    case "fuel":
    case "waste":
      return { ...line, amount, unit: form.unit, factorCode: form.factorCode };
    case "electricity": {
      let supply: Record<string, unknown> = { type: form.supplyType };
      if (form.supplyType === "green_certificate") {
        supply = {
          ...supply,
          technology: form.technology,
          certificateIds: certificateIdList(form.certificateIds),
          ...present({ periodKWh: extras.periodKWh }),
        };
      } else if (form.supplyType === "supplier") {
        supply = {
          ...supply,
          supplier: form.supplierName,
          factor: {
            co2e: { value: numberOrText(form.supplierFactor), gwpSet: options.gwpSet },
            year: numberOrText(form.supplierFactorYear),
            source: form.supplierName,
          },
        };
      } else if (form.supplyType === "onsite") {
        supply = { ...supply, technology: form.technology || "pv", factorCode: form.factorCode };
      }
      return { ...line, amount, unit: form.unit || "kWh", supply };
    }
    case "transport":
      // Either mass × distance (the editor's fields) or the transport work itself as an amount in
      // t·km or kg·km (how workbooks and the reference examples often state it).
      if (!form.mass && !form.distance && form.amount) return { ...line, amount, unit: form.unit, factorCode: form.factorCode };
      return {
        ...line,
        factorCode: form.factorCode,
        mass: { amount: numberOrText(form.mass), unit: form.massUnit || "t" },
        distance: { amount: numberOrText(form.distance), unit: "km" },
      };
    case "process_emission":
      return { ...line, amount, unit: form.unit, gas: form.gas };
    case "supplier_certificate":
      if (supplierSourceOf(form) === "declared") {
        return {
          ...line,
          amount,
          unit: form.unit,
          declared: {
            supplier: form.supplierName,
            kgCO2ePerDeclaredUnit: numberOrText(form.certifiedValue),
            // Per one of the line's own unit unless the form names another.
            declaredUnit: { quantity: numberOrText(form.certifiedUnitQuantity) ?? 1, unit: form.certifiedUnit || form.unit },
            gwpSet: options.gwpSet,
            ...present({ year: numberOrText(form.supplierFactorYear) }),
          },
        };
      }
      // A cited certificate's figures are the registry's, never typed: only its number comes from the form.
      return { ...line, amount, unit: form.unit, certificate: options.cited ?? { number: form.certificateNumber } };
    case "sub_product":
      return { ...line, amount, unit: form.unit, productId: form.subProductId };
    default:
      return line;
  }
}

/**
 * Editor policy on top of the line's definition: quantities are taken as consumed, so greater
 * than zero, and a green-certificate claim names at least one certificate. The calculator itself
 * accepts any finite amount and an empty list (the API may send credits); the editor and the
 * workbook do not offer them.
 */
const ENTERED_QUANTITIES = ["amount", "mass", "distance"] as const;

function toMessage(issue: z.core.$ZodIssue): Message {
  return lineIssueMessage(issue);
}

export type LineFormResult = { ok: true; line: InventoryLine } | { ok: false; errors: FieldErrors };

/**
 * Validates the form's fields as a calculator line with the rules schema; errors are keyed
 * messages on form fields. The line's id is a placeholder: the database gives the real one.
 * A line citing a certificate without the registry's figures (`options.cited`, which only the
 * server has) cannot be completed here: it is not ok, with no error when nothing else is wrong,
 * so the browser has nothing against it and sends it for the server to look up.
 */
export function validateLineForm(form: LineFormFields, options: LineFormOptions, extras?: LineExtras): LineFormResult {
  const input = lineInputFromForm(form, options, extras);
  const parsed = InventoryLineSchema.safeParse(input, { reportInput: true });
  const errors: FieldErrors = {};
  // The name is the one field that is not part of the calculator's line.
  if (!form.name) errors.name = { key: "v.required" };
  if (form.kind === "supplier_certificate" && form.supplierSource && !(SUPPLIER_SOURCES as readonly string[]).includes(form.supplierSource)) {
    errors.supplierSource = { key: "v.choice" };
  }
  // Until the registry is asked, a cited certificate is only its number.
  const awaitingRegistry = input.certificate !== undefined && !options.cited;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (awaitingRegistry && issue.path[0] === "certificate" && issue.path.length > 1 && issue.path[1] !== "number") continue;
      errors[fieldOfLinePath(issue.path)] ??= toMessage(issue);
    }
  }
  // Nobody verified a supplier's own figure: the editor does not let it pass as primary data.
  if (input.dataType === "primary" && isSupplierDeclared(input as InventoryLine)) errors.dataType ??= { key: "v.supplierDeclaredSecondary" };
  // A green-certificate claim the editor accepts names its certificates.
  const supply = input.supply as { type?: unknown; certificateIds?: unknown[] } | undefined;
  if (supply?.type === "green_certificate" && supply.certificateIds?.length === 0) errors.certificateIds ??= { key: "v.required" };
  for (const field of ENTERED_QUANTITIES) {
    const value = field === "amount" ? input.amount : (input[field] as { amount?: unknown } | undefined)?.amount;
    if (typeof value === "number" && value <= 0) errors[field] ??= { key: "v.positive" };
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, line: parsed.data };
}

/**
 * The form's schema for Conform: the flat fields, then `validate`, which in the browser is
 * `validateLineForm` (the rules schema) and on the server `buildLine` (the same, plus the checks
 * against the factor dataset, the organization's products and the registry). Each issue carries
 * its `{ key, params }` message in `params.message`, which `lineFormError` reads back.
 */
export function lineFormSchema<T>(validate: (form: LineFormFields) => { ok: true; line: T } | { ok: false; errors: FieldErrors }) {
  return LineFormSchema.transform((form, ctx) => {
    const result = validate(form);
    if (result.ok) return result.line;
    for (const [field, message] of Object.entries(result.errors)) {
      if (message) ctx.addIssue({ code: "custom", path: [field], message: message.key, params: { message } });
    }
    return z.NEVER;
  });
}

/** The schema the browser validates the line form with before it is sent. */
export const browserLineFormSchema = (options: LineFormOptions) => lineFormSchema((form) => validateLineForm(form, options));

/** Every field's first keyed message, from issues of `lineFormSchema` (or of the flat fields' bounds). */
export function lineFormErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[String(issue.path[0] ?? "form")] ??= lineFormError([issue])[0];
  return errors;
}

/** Conform's `formatError`: the keyed messages of a field's issues (the first is shown). */
export function lineFormError(issues: readonly z.core.$ZodIssue[]): Message[] {
  return issues.map((issue) => {
    const carried = issue.code === "custom" ? (issue.params?.message as Message | undefined) : undefined;
    return carried ?? toMessage(issue);
  });
}
