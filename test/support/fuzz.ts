/**
 * Malformed requests for every route, shared by the fuzz test (test/routes/fuzz.test.ts, which
 * calls loaders and actions in-process) and the longer over-the-wire run (bench/fuzz/run.ts).
 *
 * Everything is drawn from one seeded generator, so a reported failure is reproduced by running
 * again with the same seed. Field names come from the route table below (and, where a route
 * validates with an exported schema, from that schema's keys, so a new field is fuzzed as soon as
 * it exists): random names alone would stop at the first "unknown intent" branch of most actions.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ApplicationSchema } from "../../app/utils/case-forms.ts";
import { USER_EVENT_TYPES } from "../../app/services/cases/dispatch.server.ts";
import { LineFormSchema } from "../../app/services/inventory-line-form.server.ts";
import { certificationBodyAdminSchema, manufacturerProfileSchema } from "../../app/services/organizations.server.ts";
import { productSchema } from "../../app/services/products.server.ts";
import { LINE_KINDS } from "../../app/utils/line-kinds.ts";
import { STAGES } from "../../rules/stages.ts";

// ---------------------------------------------------------------------------------------------
// Seeded generator

/** mulberry32: small, fast, and the same sequence on every platform for a given seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(items.length)]!;
  }
  /** A generator of its own, so adding draws in one place does not shift every later input. */
  fork(label: string): Rng {
    let h = this.state ^ 0x9e3779b9;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Rng(h >>> 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Values

const HUGE = "x".repeat(100_000);
const HUGE_HAN = "碳".repeat(40_000);

/** Boundary values every field and parameter gets some of. */
export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\0",
  "a\0b",
  "\0".repeat(64),
  "\uD800",
  "x\uDC00y",
  "\uDBFF\uDFFF",
  HUGE,
  HUGE_HAN,
  "-1",
  "0",
  "-0",
  "1e308",
  "-1e308",
  "1e-400",
  "NaN",
  "Infinity",
  "-Infinity",
  "9007199254740993",
  "99999999999999999999999999999999999999",
  "2147483648",
  "-2147483649",
  "0x1F",
  "1,5",
  "１２３",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  '{"__proto__":{"polluted":1}}',
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "%00",
  "%",
  "%zz",
  "../../../etc/passwd",
  "//evil.example/",
  "\\\\evil.example",
  "javascript:alert(1)",
  "碳足迹 认证",
  "😀🏭",
  "\u202eevil",
  "\uFEFF",
  "\r\n\r\n",
  "\t",
  "00000000-0000-0000-0000-000000000000",
  "00000000-0000-4000-8000-000000000000",
  "not-a-uuid",
  "ffffffff-ffff-ffff-ffff-ffffffffffffff",
  "2025-02-30",
  "0000-00-00",
  "9999-12-31",
  "-001000-01-01",
  "CCDC-CF-2026-000001\0",
  "ccdc-cf-9999-999999",
];

/** The cases the fuzz test is for, drawn more often than the rest: NUL, lone surrogates, 100 kB, numbers out of range. */
const CORE_NASTY: readonly string[] = [
  "\0",
  "a\0b",
  "\uD800",
  "x\uDC00y",
  HUGE,
  "-1",
  "1e308",
  "NaN",
  "",
  "碳足迹 认证",
  "not-a-uuid",
  "99999999999999999999999999999999999999",
];

/** Full-range UTF-16 code units (lone surrogates included), or a run of ASCII controls. */
function randomText(rng: Rng): string {
  const length = rng.pick([0, 1, 2, 5, 17, 64, 300]);
  let s = "";
  for (let i = 0; i < length; i++) {
    const r = rng.next();
    s += String.fromCharCode(r < 0.3 ? rng.int(0x20) : r < 0.6 ? 0x20 + rng.int(0x60) : r < 0.8 ? 0xd800 + rng.int(0x800) : rng.int(0x10000));
  }
  return s;
}

function randomNumberText(rng: Rng): string {
  return rng.pick([
    String(-rng.int(1_000_000)),
    String(rng.next() * 10 ** rng.int(320)),
    String(-(rng.next() * 10 ** rng.int(320))),
    `${rng.int(10)}.${"9".repeat(rng.int(60))}`,
    `1e${rng.int(1000) - 500}`,
    String(Number.MAX_SAFE_INTEGER + rng.int(100)),
  ]);
}

/** A value for a field: a plausible one (so deeper code runs), a boundary one, or noise. */
export function fuzzValue(rng: Rng, plausible: readonly string[] = []): string {
  const r = rng.next();
  if (plausible.length > 0 && r < 0.35) return rng.pick(plausible);
  if (r < 0.55) return rng.pick(CORE_NASTY);
  if (r < 0.75) return rng.pick(NASTY_STRINGS);
  if (r < 0.88) return randomNumberText(rng);
  return randomText(rng);
}

/** A short, printable account of a value for the failure report. */
export function describeValue(value: string): string {
  const shown = JSON.stringify(value.length > 40 ? value.slice(0, 24) : value).replace(
    /[\ud800-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
  return value.length > 40 ? `${shown}…(${value.length} chars)` : shown;
}

// ---------------------------------------------------------------------------------------------
// The routes

/** Ids of records the fixtures make, referred to as "@name" in the table. */
export type FixtureIds = Record<"product" | "inventory" | "evidence" | "case" | "caseFile" | "caseEvidence" | "certificate" | "token" | "cb", string>;

export interface RouteFuzz {
  /** The URL pattern, with `:name` for each dynamic segment. */
  path: string;
  /** Plausible values of each path parameter ("@fixture" for a fixture's id). */
  params?: Record<string, readonly string[]>;
  /** Query parameters the loader reads, with plausible values. */
  query?: Record<string, readonly string[]>;
  /** Form fields the action reads, with plausible values. */
  form?: Record<string, readonly string[]>;
  /**
   * The action branches on a field ("intent" unless `intentField` says otherwise): the fields each
   * branch reads, so the sweep breaks them under the branch that reads them.
   */
  intents?: Record<string, readonly string[]>;
  intentField?: string;
  /** The action reads a multipart upload: the file field's name. */
  fileField?: string;
  /** The action reads JSON: a well-formed body to mutate. */
  json?: () => unknown;
  loader?: boolean;
  action?: boolean;
}

/**
 * Each field's first plausible value makes, with the others' first values, a valid form: the
 * "valid but one field broken" inputs start from it.
 */
const fieldsOf = (shape: object, plausible: Record<string, readonly string[]> = {}): Record<string, readonly string[]> =>
  Object.fromEntries(Object.keys(shape).map((k) => [k, plausible[k] ?? []]));

const DATE = ["2025-01-01", "2025-12-31", "2026-06-30"];
const NUMBER = ["1", "100", "0.5", "1000"];
const PROVINCE = ["CN-ZJ", "CN-SH", "CN-XX"];
const PRODUCT_FIELDS = fieldsOf(productSchema().shape, {
  nameZh: ["测试产品"],
  nameEn: ["Test product"],
  pcrCode: ["PCR-CN-CEMENT", "PCR-CN-NOPE"],
  siteRegion: PROVINCE,
  gtin: ["06901234567892", "12345"],
});
// The valid line: 1 t of raw coal burnt in production.
const LINE_FIELDS = fieldsOf(LineFormSchema.shape, {
  stage: ["production", ...STAGES],
  kind: ["fuel", ...LINE_KINDS],
  name: ["煤"],
  dataType: ["primary", "secondary"],
  reliability: ["1", "5", "6"],
  completeness: ["1", "3"],
  temporal: ["1"],
  geographical: ["2"],
  technological: ["1"],
  amount: NUMBER,
  unit: ["t", "kg", "kWh", "furlong"],
  factorCode: ["FUEL-RAW-COAL", "FUEL-DIESEL", "NOPE"],
  supplyType: ["grid", "green_certificate", "onsite"],
  mass: NUMBER,
  massUnit: ["t", "kg"],
  distance: NUMBER,
  gas: ["CO2", "CH4", "N2O", "SF6"],
  supplierSource: ["certificate", "declared"],
  certificateNumber: ["CCDC-CF-2026-000001"],
  certifiedValue: NUMBER,
  certifiedUnitQuantity: NUMBER,
  certifiedUnit: ["t"],
  subProductId: ["@product"],
  supplierFactorYear: ["2025", "-1"],
});
const CASE_EVENT_FIELDS: Record<string, readonly string[]> = {
  intent: USER_EVENT_TYPES,
  version: ["1", "2", "3", "0", "-1"],
  note: ["备注"],
  reason: ["原因"],
  reviewer: [],
  inspector: [],
  verifier: [],
  decider: [],
  severity: ["major", "minor", "observation"],
  clause: ["5.1"],
  text: ["文本"],
  dueOn: DATE,
  findingId: ["F-1", "00000000-0000-4000-8000-000000000000"],
  date: DATE,
  site: ["工厂"],
  attendees: ["张三\n李四"],
  observations: ["良好"],
  kgCO2ePerDeclaredUnit: NUMBER,
  claimStart: DATE,
  claimEnd: DATE,
  claimQuantity: NUMBER,
  "credits[0].registry": ["VCS"],
  "credits[0].programme": ["p"],
  "credits[0].serialPrefix": ["S-"],
  "credits[0].first": ["1"],
  "credits[0].last": ["10"],
  "credits[0].vintage": ["2024"],
  "credits[0].retiredOn": DATE,
  // A list index far beyond any row the page draws: the list it would make is refused, not walked.
  "credits[99999999].first": [],
  kind: ["inventory_report", "verification_report", "evidence", "nope"],
  inventoryId: ["@inventory"],
};
/** The fields each case event reads (app/services/cases/dispatch.server.ts eventFromForm), beside version. */
const CASE_EVENT_INTENTS: Record<string, readonly string[]> = {
  SUBMIT: ["version"],
  WITHDRAW_APPLICATION: ["version", "reason"],
  ASSIGN_TEAM: ["reviewer", "inspector", "verifier"],
  ASSIGN_DECIDER: ["decider"],
  RAISE_FINDING: ["severity", "clause", "text", "dueOn"],
  ANSWER_FINDING: ["findingId", "text"],
  CLOSE_FINDING: ["findingId", "note"],
  RECORD_INSPECTION: ["date", "site", "attendees", "observations"],
  RECORD_VERIFICATION: ["kgCO2ePerDeclaredUnit", "note"],
  RECORD_CREDITS: [
    "claimStart",
    "claimEnd",
    "claimQuantity",
    "credits[0].registry",
    "credits[0].first",
    "credits[0].last",
    "credits[0].vintage",
    "credits[0].retiredOn",
    "credits[99999999].first",
  ],
  ATTACH_DOCUMENT: ["kind"],
  RENEW: ["inventoryId"],
  GRANT: ["note"],
};
const CERTIFICATE = ["@certificate", "CCDC-CF-2026-000001", "CCDC-CF-2026-999999"];

function exampleInventory(): unknown {
  return JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../rules/examples/cement-inventory.json"), "utf8"));
}

/** Every route module, keyed as the route manifest names it ("routes/<file>" and "root"). */
export const ROUTE_FUZZ: Record<string, RouteFuzz> = {
  root: { path: "/", loader: true },
  "routes/_index": { path: "/", loader: true },
  "routes/login": {
    path: "/login",
    loader: true,
    action: true,
    form: {
      email: ["admin@hualv.demo", "nobody@example.com"],
      password: ["carbon-demo-2026", "wrong"],
      redirectTo: ["/dashboard", "//evil.example", "/\\evil"],
    },
  },
  "routes/logout": { path: "/logout", loader: true, action: true },
  "routes/lang": {
    path: "/lang",
    loader: true,
    action: true,
    form: { locale: ["en", "zh-CN", "fr"], redirectTo: ["/", "/registry?x=1", "https://evil.example/"] },
  },
  "routes/healthz": { path: "/healthz", loader: true },
  "routes/invite.$token": {
    path: "/invite/:token",
    params: { token: ["@token"] },
    loader: true,
    action: true,
    form: { name: ["新成员"], password: ["long-enough-password"], confirmPassword: ["long-enough-password"] },
  },
  "routes/dashboard": { path: "/dashboard", loader: true },
  "routes/account": {
    path: "/account",
    loader: true,
    action: true,
    query: { saved: ["profile", "password"] },
    form: {
      intent: ["profile", "password"],
      name: ["名字"],
      language: ["en", "zh-CN", "de"],
      currentPassword: ["carbon-demo-2026"],
      newPassword: ["another-password-1"],
      confirmPassword: ["another-password-1"],
    },
    intents: { profile: ["name", "language"], password: ["currentPassword", "newPassword", "confirmPassword"] },
  },
  "routes/org.profile": {
    path: "/org/profile",
    loader: true,
    action: true,
    query: { saved: [""] },
    form: fieldsOf(manufacturerProfileSchema.shape, {
      nameZh: ["示范企业"],
      nameEn: ["Demo Ltd."],
      address: ["杭州"],
      province: PROVINCE,
      creditCode: ["91330110MA2H7K8L3Y"],
    }),
  },
  "routes/org.members": {
    path: "/org/members",
    loader: true,
    action: true,
    form: {
      intent: ["invite", "update-roles"],
      email: ["new@example.com"],
      name: ["新人"],
      roles: ["manufacturer_member", "cb_reviewer", "platform_admin"],
      userId: ["00000000-0000-4000-8000-000000000000"],
    },
    intents: { invite: ["email", "name", "roles"], "update-roles": ["userId", "roles"] },
  },
  "routes/admin.organizations": {
    path: "/admin/organizations",
    loader: true,
    action: true,
    form: {
      kind: ["manufacturer", "certification_body", "platform"],
      ...fieldsOf(certificationBodyAdminSchema([]).shape, {
        nameZh: ["新企业"],
        nameEn: ["New Co."],
        address: ["上海"],
        province: PROVINCE,
        approvalNumber: ["CNCA-R-2026-999"],
        cbCode: ["ZZ"],
        scope: ["PCR-CN-CEMENT"],
      }),
      creditCode: ["91310115MA1K4FUZ01", "91330110MA2H7K8L3Y"],
      adminName: ["管理员"],
      adminEmail: ["new-admin@example.com"],
    },
    intentField: "kind",
    intents: {
      manufacturer: ["nameZh", "nameEn", "address", "province", "creditCode", "adminName", "adminEmail"],
      certification_body: ["nameZh", "nameEn", "address", "province", "approvalNumber", "cbCode", "scope", "adminName", "adminEmail"],
    },
  },
  // factor dataset versions: the import (a multipart file and the version's details), one version's actions, its CSV
  "routes/admin.datasets._index": {
    path: "/admin/datasets",
    loader: true,
    action: true,
    query: { discarded: ["CN-DEMO@2026.1"] },
    form: {
      datasetId: ["FUZZ", "cn demo"],
      version: ["2027.1", "2027", "CN-DEMO@2026.1"],
      nameZh: ["模糊测试"],
      nameEn: ["Fuzz"],
      publishedOn: DATE,
      note: ["说明"],
      demonstration: ["on"],
      "include:CN-PUBLISHED@2026.1": ["on"],
    },
    fileField: "file",
  },
  "routes/admin.datasets.$datasetId.$version": {
    path: "/admin/datasets/:datasetId/:version",
    params: { datasetId: ["CN-DEMO", "FUZZ"], version: ["2026.1", "2027.1", "2026"] },
    loader: true,
    action: true,
    query: { imported: ["10"] },
    form: { intent: ["publish", "discard", "rerun-drift"] },
    intents: { publish: [], discard: [], "rerun-drift": [] },
  },
  "routes/admin.datasets.$datasetId.$version_.csv": {
    path: "/admin/datasets/:datasetId/:version/csv",
    params: { datasetId: ["CN-DEMO", "FUZZ"], version: ["2026.1", "2027.1"] },
    loader: true,
  },
  "routes/api.v1.footprints.calculate": { path: "/api/v1/footprints/calculate", loader: true, action: true, json: exampleInventory },
  "routes/api.v1.schema.inventory[.]json": { path: "/api/v1/schema/inventory.json", loader: true },
  "routes/products._index": { path: "/products", loader: true, query: { q: ["水泥"], pcr: ["PCR-CN-CEMENT"] } },
  "routes/products.new": { path: "/products/new", loader: true, action: true, form: PRODUCT_FIELDS },
  "routes/products.$productId": {
    path: "/products/:productId",
    params: { productId: ["@product"] },
    loader: true,
    action: true,
    query: { saved: [""] },
    form: {
      intent: ["create-inventory", "save-product"],
      periodStart: DATE,
      periodEnd: DATE,
      productionQuantity: NUMBER,
      productionUnit: ["t", "kg", "m"],
      ...PRODUCT_FIELDS,
    },
    intents: {
      "create-inventory": ["periodStart", "periodEnd", "productionQuantity", "productionUnit"],
      "save-product": Object.keys(PRODUCT_FIELDS),
    },
  },
  "routes/inventories.$inventoryId": {
    path: "/inventories/:inventoryId",
    params: { inventoryId: ["@inventory"] },
    loader: true,
    action: true,
    query: { line: [], stage: STAGES, intent: ["add-line"], saved: [""], factorQuery: ["煤"], ...LINE_FIELDS },
    form: {
      intent: ["add-line", "new-version", "delete-line", "delete-evidence", "edit-line", "upload-evidence"],
      lineId: [],
      evidenceId: ["@evidence"],
      line: [],
      ...LINE_FIELDS,
    },
    intents: {
      "add-line": Object.keys(LINE_FIELDS),
      "edit-line": ["line"],
      "delete-line": ["lineId"],
      "delete-evidence": ["evidenceId"],
      "new-version": [],
    },
    fileField: "file",
  },
  "routes/inventories.$inventoryId_.factors": {
    path: "/inventories/:inventoryId/factors",
    params: { inventoryId: ["@inventory"] },
    loader: true,
    query: { q: ["coal", "煤"], kind: LINE_KINDS, supplyType: ["grid"], limit: ["1", "50", "1000000"] },
  },
  "routes/inventories.$inventoryId_.certificate": {
    path: "/inventories/:inventoryId/certificate",
    params: { inventoryId: ["@inventory"] },
    loader: true,
    query: { number: CERTIFICATE, unit: ["t", "kWh", "furlong"] },
  },
  "routes/inventories.$inventoryId_.dataset": {
    path: "/inventories/:inventoryId/dataset",
    params: { inventoryId: ["@inventory"] },
    loader: true,
    action: true,
    query: { to: ["CN-DEMO@2026.2", "CN-DEMO@2026.1", "CN-DEMO@9999.1"] },
    form: { to: ["CN-DEMO@2026.2", "CN-DEMO@2026.1", "CN-PUBLISHED@2026.1"] },
  },
  "routes/evidence.$evidenceId": { path: "/evidence/:evidenceId", params: { evidenceId: ["@evidence"] }, loader: true },
  "routes/inventories.compare": { path: "/inventories/compare", loader: true, query: { a: ["@inventory"], b: ["@inventory"] } },
  "routes/inventories.$inventoryId_.workbook": {
    path: "/inventories/:inventoryId/workbook",
    params: { inventoryId: ["@inventory"] },
    loader: true,
    action: true,
    form: { mode: ["create", "replace"] },
    fileField: "file",
  },
  "routes/inventories.$inventoryId_.workbook.template": {
    path: "/inventories/:inventoryId/workbook/template",
    params: { inventoryId: ["@inventory"] },
    loader: true,
  },
  "routes/inventories.$inventoryId_.workbook.export": {
    path: "/inventories/:inventoryId/workbook/export",
    params: { inventoryId: ["@inventory"] },
    loader: true,
  },
  "routes/inventories.$inventoryId_.workbook.import": {
    path: "/inventories/:inventoryId/workbook/import",
    params: { inventoryId: ["@inventory"] },
    action: true,
    form: { mode: ["create", "replace"] },
    fileField: "file",
  },
  "routes/cases.drift": { path: "/cases/drift", loader: true },
  "routes/cases._index": {
    path: "/cases",
    loader: true,
    query: { state: ["draft", "submitted"], label: ["CF", "LC"], role: ["cb_reviewer"], mine: ["1"], q: ["水泥"], page: ["1", "2", "1001"] },
  },
  "routes/cases.new": {
    path: "/cases/new",
    loader: true,
    action: true,
    query: { inventory: ["@inventory"] },
    form: fieldsOf(ApplicationSchema.shape, {
      inventoryId: ["@inventory"],
      labelType: ["CF", "LC", "RC", "CN", "XX"],
      cbOrganizationId: ["@cb"],
      claimStart: DATE,
      claimEnd: DATE,
      claimQuantity: NUMBER,
    }),
  },
  "routes/cases.$caseId": {
    path: "/cases/:caseId",
    params: { caseId: ["@case"] },
    loader: true,
    action: true,
    query: { done: USER_EVENT_TYPES },
    form: CASE_EVENT_FIELDS,
    intents: CASE_EVENT_INTENTS,
    fileField: "files",
  },
  "routes/cases.$caseId_.files.$fileId": { path: "/cases/:caseId/files/:fileId", params: { caseId: ["@case"], fileId: ["@caseFile"] }, loader: true },
  "routes/cases.$caseId_.evidence.$evidenceId": {
    path: "/cases/:caseId/evidence/:evidenceId",
    params: { caseId: ["@case"], evidenceId: ["@caseEvidence"] },
    loader: true,
  },
  "routes/notifications": {
    path: "/notifications",
    loader: true,
    action: true,
    query: { unread: ["1", "0"] },
    form: { intent: ["read", "read-all"], id: [], unread: ["1"] },
    intents: { read: ["id", "unread"], "read-all": ["unread"] },
  },
  "routes/[.]well-known.carbonlabel-keys[.]json": { path: "/.well-known/carbonlabel-keys.json", loader: true },
  "routes/api.v1.certificates.$number": { path: "/api/v1/certificates/:number", params: { number: CERTIFICATE }, loader: true, action: true },
  "routes/api.v1.openapi[.]json": { path: "/api/v1/openapi.json", loader: true },
  "routes/verify._index": { path: "/verify", loader: true, action: true, query: { number: CERTIFICATE }, fileField: "file" },
  "routes/verify.$number": { path: "/verify/:number", params: { number: CERTIFICATE }, loader: true, action: true, fileField: "file" },
  "routes/registry": {
    path: "/registry",
    loader: true,
    query: {
      category: ["PCR-CN-CEMENT"],
      label: ["CF"],
      company: ["华绿"],
      province: PROVINCE,
      sort: ["newest", "footprint"],
      page: ["1", "2", "1000"],
    },
  },
  // the factor library: search, filters and one factor's page
  "routes/factors._index": {
    path: "/factors",
    loader: true,
    query: {
      q: ["柴油", "EL-LC-CN-2024", "浙江 2022", "single source"],
      category: ["electricity", "fuel"],
      region: ["CN-ZJ", "CN"],
      year: ["2024", "2021"],
      dataset: ["CN-PUBLISHED@2026.1", "CN-DEMO@2026.1"],
      source: ["GB/T 32151.22—2024"],
      status: ["confirmed", "single_source", "demonstration", "not_recorded"],
      page: ["1", "2", "1000"],
    },
  },
  "routes/factors.$code": {
    path: "/factors/:code",
    params: { code: ["FUEL-DIESEL", "EL-LC-CN-2024", "fuel-lignite"] },
    loader: true,
    query: { version: ["CN-DEMO@2026.1", "CN-PUBLISHED@2026.1"] },
  },
  "routes/certificates.$number.certificate[.]pdf": { path: "/certificates/:number/certificate.pdf", params: { number: CERTIFICATE }, loader: true },
  "routes/certificates.$number.certificate[.]json": { path: "/certificates/:number/certificate.json", params: { number: CERTIFICATE }, loader: true },
  "routes/certificates.$number.label[.]svg": { path: "/certificates/:number/label.svg", params: { number: CERTIFICATE }, loader: true },
  "routes/certificates.$number.label[.]png": { path: "/certificates/:number/label.png", params: { number: CERTIFICATE }, loader: true },
};

// ---------------------------------------------------------------------------------------------
// Requests

export interface FuzzRequest {
  method: string;
  /** Path parameters as the router would hand them to the route (decoded). */
  params: Record<string, string>;
  /** Path and query as sent on the wire (percent-encoded, possibly malformed). */
  target: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** What was sent, short enough for a failure report. */
  summary: string;
}

/**
 * Percent-encodes every UTF-16 code unit it must, lone surrogates as the (invalid) UTF-8 bytes a
 * careless client sends: encodeURIComponent would throw on them.
 */
export function percentEncode(value: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (/^[A-Za-z0-9\-_.~]$/.test(ch)) out += ch;
    else if (code >= 0xd800 && code <= 0xdfff)
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    else out += Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return out;
}

function resolve(value: string, fixtures: FixtureIds): string {
  return value.startsWith("@") && value.slice(1) in fixtures ? fixtures[value.slice(1) as keyof FixtureIds] : value;
}

interface Fields {
  entries: [string, string][];
  summary: string;
}

/**
 * Fields of a form or query. Half the time the valid form (each field's first plausible value)
 * with one or two fields broken, so the broken value gets past validation of the others to the
 * code that stores or searches it; otherwise every field drawn at random (omitted, once, or
 * repeated), with a stray name now and then.
 */
function fuzzFields(rng: Rng, known: Record<string, readonly string[]>, fixtures: FixtureIds): Fields {
  const names = Object.keys(known);
  if (names.length > 0 && rng.chance(0.5)) {
    const entries: [string, string][] = names.filter((n) => known[n]!.length > 0).map((n) => [n, resolve(known[n]![0]!, fixtures)]);
    const broken: string[] = [];
    for (let i = 1 + rng.int(2); i > 0; i--) {
      const name = rng.pick(names);
      const value = fuzzValue(rng);
      const at = entries.findIndex(([n]) => n === name);
      if (at >= 0) entries[at] = [name, value];
      else entries.push([name, value]);
      broken.push(`${name}=${describeValue(value)}`);
    }
    return { entries, summary: `valid but ${broken.join(", ")}` };
  }
  const entries: [string, string][] = [];
  for (const [name, plausible] of Object.entries(known)) {
    const r = rng.next();
    if (r < 0.25) continue;
    const times = r > 0.93 ? 2 + rng.int(3) : 1;
    for (let i = 0; i < times; i++) entries.push([name, resolve(fuzzValue(rng, plausible), fixtures)]);
  }
  if (rng.chance(0.2)) entries.push([rng.pick(["", "\0", "__proto__", "x".repeat(5000), randomText(rng)]), fuzzValue(rng)]);
  return { entries, summary: summarizeFields(entries) };
}

function summarizeFields(entries: [string, string][]): string {
  return entries.map(([k, v]) => `${describeValue(k).slice(1, -1) || '""'}=${describeValue(v)}`).join("&");
}

const encodeForm = (entries: [string, string][]) => entries.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
const bytes = (text: string) => new TextEncoder().encode(text);

/** Percent-escapes a browser never sends: NUL, invalid UTF-8, a lone "%". */
function brokenEscapes(rng: Rng, encoded: string): string {
  const junk = rng.pick(["%00", "%ED%A0%80", "%FF%FE", "%", "%zz", "%C0%AF", "&&&", "=", "+%2B+"]);
  const at = rng.int(encoded.length + 1);
  return encoded.slice(0, at) + junk + encoded.slice(at);
}

const FILE_NAMES = [
  "report.pdf",
  "a;b=c.pdf",
  "name=evil; filename=x.pdf",
  'quo"te.pdf',
  "a\0b.pdf",
  "..\\..\\boot.ini",
  "../../etc/passwd",
  "碳足迹报告.pdf",
  "",
  "x".repeat(2000) + ".pdf",
  "\uD800.json",
  "no-extension",
  "workbook.xlsx",
];

const FILE_CONTENTS: readonly (() => Uint8Array)[] = [
  () => bytes("%PDF-1.4\n%fuzz\n%%EOF\n"),
  () => bytes('{"format":"carbonlabel-certificate","payload":{}}'),
  () => bytes("{not json"),
  () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), // a zip (xlsx) header and nothing else
  () => new Uint8Array(0),
  () => new Uint8Array(70_000).fill(0),
  () => bytes("<svg xmlns='http://www.w3.org/2000/svg'/>"),
];

function multipartPart(name: string, value: string, boundary: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

function multipartBody(rng: Rng, fields: Fields, fileField: string | undefined, boundary: string): { body: Uint8Array; summary: string } {
  const head = fields.entries.map(([k, v]) => multipartPart(k, v, boundary)).join("");
  const parts: Uint8Array[] = [bytes(head)];
  let summary = fields.summary;
  if (fileField !== undefined || rng.chance(0.3)) {
    const fileName = rng.pick(FILE_NAMES);
    const content = rng.pick(FILE_CONTENTS)();
    const type = rng.pick(["application/pdf", "application/json", "application/octet-stream", "text/html", "", "multipart/mixed; boundary=x"]);
    // Quotes and separators are written as they are: what a hand-made client would send.
    const disposition = rng.chance(0.5)
      ? `form-data; name="${fileField ?? "file"}"; filename="${fileName}"`
      : `form-data; name=${fileField ?? "file"}; filename=${fileName}`;
    parts.push(
      bytes(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ""}\r\n`),
      content,
      bytes("\r\n"),
    );
    summary += ` file ${describeValue(fileName)} (${content.byteLength} bytes, ${describeValue(type)})`;
  }
  parts.push(bytes(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), summary };
}

/** A malformed multipart request: no boundary, a different boundary, cut mid-part, no end, broken part headers. */
function brokenMultipart(
  rng: Rng,
  fields: Fields,
  fileField: string | undefined,
): { headers: Record<string, string>; body: Uint8Array; summary: string } {
  const boundary = `----fuzz${rng.int(1e9)}`;
  const { body, summary } = multipartBody(rng, fields, fileField, boundary);
  const how = rng.pick(["no-boundary", "other-boundary", "truncated", "no-end", "headerless", "empty-boundary", "garbage"] as const);
  const type = `multipart/form-data; boundary=${boundary}`;
  switch (how) {
    case "no-boundary":
      return { headers: { "Content-Type": "multipart/form-data" }, body, summary: `multipart without boundary: ${summary}` };
    case "other-boundary":
      return { headers: { "Content-Type": "multipart/form-data; boundary=nope" }, body, summary: `multipart, wrong boundary: ${summary}` };
    case "truncated": {
      const cut = 1 + rng.int(Math.max(1, body.byteLength - 1));
      return {
        headers: { "Content-Type": type },
        body: body.slice(0, cut),
        summary: `multipart cut at byte ${cut} of ${body.byteLength}: ${summary}`,
      };
    }
    case "no-end":
      return {
        headers: { "Content-Type": type },
        body: body.slice(0, body.byteLength - boundary.length - 6),
        summary: `multipart without closing boundary: ${summary}`,
      };
    case "headerless":
      return {
        headers: { "Content-Type": type },
        body: bytes(`--${boundary}\r\nX-Nothing: 1\r\n\r\nvalue\r\n--${boundary}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--${boundary}--\r\n`),
        summary: "multipart parts without a name",
      };
    case "empty-boundary":
      return { headers: { "Content-Type": 'multipart/form-data; boundary=""' }, body, summary: `multipart, empty boundary: ${summary}` };
    case "garbage":
      return {
        headers: { "Content-Type": type },
        body: bytes(randomText(rng) + "\r\n--" + randomText(rng)),
        summary: "multipart type, garbage body",
      };
  }
}

/** Replaces a few leaves (or whole members) of a JSON document with boundary values. */
function mutateJson(rng: Rng, doc: unknown): { value: unknown; summary: string } {
  const changes: string[] = [];
  const replacement = (): unknown =>
    rng.pick<() => unknown>([
      () => fuzzValue(rng),
      () => -1,
      () => 1e308,
      () => -1e308,
      () => 0,
      () => Number.MAX_SAFE_INTEGER * 1024,
      () => null,
      () => true,
      () => [],
      () => ({}),
      () => Array.from({ length: 3 }, () => fuzzValue(rng)),
      () => JSON.parse('{"__proto__":{"polluted":true}}'),
      () => {
        let deep: unknown = 1;
        for (let i = 0; i < 2000; i++) deep = [deep];
        return deep;
      },
    ])();
  const visit = (node: unknown, where: string, depth: number): unknown => {
    if (rng.chance(depth === 0 ? 0.02 : 0.06)) {
      const v = replacement();
      changes.push(`${where || "$"}=${describeValue(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)))}`);
      return v;
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, `${where}[${i}]`, depth + 1));
    if (node && typeof node === "object")
      return Object.fromEntries(
        Object.entries(node)
          .filter(() => !rng.chance(0.03))
          .map(([k, v]) => [k, visit(v, `${where}.${k}`, depth + 1)]),
      );
    return node;
  };
  const value = visit(doc, "", 0);
  return {
    value,
    summary: changes.length > 0 ? changes.slice(0, 6).join(", ") + (changes.length > 6 ? ` (+${changes.length - 6})` : "") : "unchanged",
  };
}

function fillPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => percentEncode(params[name] ?? ""));
}

function fuzzParams(rng: Rng, route: RouteFuzz, fixtures: FixtureIds): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, plausible] of Object.entries(route.params ?? {})) {
    // Mostly the real record, so the handler gets past its not-found check to the fields.
    params[name] = rng.chance(0.6) ? resolve(rng.pick(plausible), fixtures) : resolve(fuzzValue(rng, plausible), fixtures);
  }
  return params;
}

const LANGUAGES = ["en", "zh-CN", "*", "xx;q=2", "en;q=NaN, zh;q=-1", ",,,", "a".repeat(4000)];

/** Headers a careless or hostile client sends beside the body: all printable Latin-1, as fetch requires. */
function fuzzHeaders(rng: Rng): { headers: Record<string, string>; summary: string } {
  const headers: Record<string, string> = {};
  const notes: string[] = [];
  if (rng.chance(0.2)) headers["Accept-Language"] = rng.pick(LANGUAGES);
  if (rng.chance(0.15)) {
    headers["If-None-Match"] = rng.pick(['"abc"', "*", 'W/"x", "y"', "x".repeat(8000), ""]);
    notes.push(`If-None-Match ${describeValue(headers["If-None-Match"])}`);
  }
  if (rng.chance(0.1)) {
    headers["Content-Length"] = rng.pick(["-1", "1e308", "99999999999999999999"]);
    notes.push(`Content-Length ${headers["Content-Length"]}`);
  }
  return { headers, summary: notes.join(", ") };
}

/** Cookies an anonymous client may send: forged, unsigned, oversized, or a bad language. */
export function fuzzCookie(rng: Rng): string | undefined {
  if (!rng.chance(0.4)) return undefined;
  return rng.pick([
    "__session=garbage",
    "__session=eyJ4IjoxfQ%3D%3D.forged",
    "__session=" + "A".repeat(6000),
    "__session=%",
    "__session=%E0%A4%A",
    "lang=xx",
    "lang=%00",
    "lang=" + "z".repeat(3000),
    "__session=;;;=;lang",
  ]);
}

export function loaderRequest(rng: Rng, route: RouteFuzz, fixtures: FixtureIds): FuzzRequest {
  const params = fuzzParams(rng, route, fixtures);
  const fields = fuzzFields(rng, route.query ?? {}, fixtures);
  let query = encodeForm(fields.entries);
  if (rng.chance(0.2)) query = brokenEscapes(rng, query);
  const { headers, summary: headerSummary } = fuzzHeaders(rng);
  delete headers["Content-Length"];
  const paramSummary = Object.entries(params)
    .map(([k, v]) => `${k}=${describeValue(v)}`)
    .join(" ");
  return {
    method: rng.chance(0.9) ? "GET" : "HEAD",
    params,
    target: fillPath(route.path, params) + (query ? `?${query}` : ""),
    headers,
    summary: [
      paramSummary && `params ${paramSummary}`,
      query && `query ${fields.summary.slice(0, 300)}${query.length > 300 ? "…" : ""}`,
      headerSummary,
    ]
      .filter(Boolean)
      .join("; "),
  };
}

export function actionRequest(rng: Rng, route: RouteFuzz, fixtures: FixtureIds): FuzzRequest {
  const params = fuzzParams(rng, route, fixtures);
  const fields = fuzzFields(rng, route.form ?? {}, fixtures);
  const { headers, summary: headerSummary } = fuzzHeaders(rng);
  const method = rng.chance(0.88) ? "POST" : rng.pick(["PUT", "PATCH", "DELETE"]);
  let body: Uint8Array | undefined;
  let summary: string;
  const r = rng.next();
  const multipartShare = route.fileField ? 0.35 : 0.12;
  if (route.json && r < 0.45) {
    const { value, summary: changed } = mutateJson(rng, route.json());
    headers["Content-Type"] = rng.pick(["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded"]);
    let text = JSON.stringify(value);
    if (rng.chance(0.15)) text = text.slice(0, rng.int(text.length));
    body = bytes(text);
    summary = `JSON (${headers["Content-Type"]}, ${body.byteLength} bytes) ${changed}`;
  } else if (r < 0.45) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    const broken = rng.chance(0.25);
    body = bytes(broken ? brokenEscapes(rng, encodeForm(fields.entries)) : encodeForm(fields.entries));
    summary = `form ${fields.summary}${broken ? ` (with bad escapes: ${describeValue(new TextDecoder().decode(body).slice(0, 80))})` : ""}`;
  } else if (r < 0.45 + multipartShare / 2) {
    const boundary = `----fuzz${rng.int(1e9)}`;
    const made = multipartBody(rng, fields, route.fileField, boundary);
    headers["Content-Type"] = `multipart/form-data; boundary=${boundary}`;
    body = made.body;
    summary = `multipart ${made.summary}`;
  } else if (r < 0.45 + multipartShare) {
    const made = brokenMultipart(rng, fields, route.fileField);
    Object.assign(headers, made.headers);
    body = made.body;
    summary = made.summary;
  } else if (r < 0.45 + multipartShare + 0.12) {
    // The form as a browser would send it, but without saying what it is.
    body = bytes(encodeForm(fields.entries));
    summary = `no Content-Type, body ${fields.summary}`;
  } else if (r < 0.45 + multipartShare + 0.24) {
    headers["Content-Type"] = rng.pick([
      "text/plain",
      "application/xml",
      "application/json",
      "image/png",
      "application/x-www-form-urlencoded; charset=utf-16",
      "multipart/mixed; boundary=x",
      ";;;",
      "x".repeat(2000),
    ]);
    body = rng.chance(0.5) ? bytes(encodeForm(fields.entries)) : bytes(randomText(rng));
    summary = `Content-Type ${describeValue(headers["Content-Type"])}, ${body.byteLength} bytes`;
  } else {
    if (rng.chance(0.5)) headers["Content-Type"] = "application/x-www-form-urlencoded";
    summary = `no body${headers["Content-Type"] ? " (form type)" : ""}`;
  }
  if (rng.chance(0.15)) {
    // The no-JavaScript search button posts to a URL with the draft in its query.
    const query = encodeForm(fuzzFields(rng, route.query ?? { intent: [] }, fixtures).entries);
    return finish(`${fillPath(route.path, params)}?${query}`);
  }
  return finish(fillPath(route.path, params));

  function finish(target: string): FuzzRequest {
    const paramSummary = Object.entries(params)
      .map(([k, v]) => `${k}=${describeValue(v)}`)
      .join(" ");
    return {
      method,
      params,
      target,
      headers,
      body: method === "GET" ? undefined : body,
      summary: [method, paramSummary && `params ${paramSummary}`, summary, headerSummary].filter(Boolean).join("; "),
    };
  }
}

/**
 * The systematic part: the valid request with exactly one field, query parameter or path
 * parameter replaced by NUL, a lone surrogate, 100 kB, or an out-of-range number, one at a time;
 * then the body sent without a Content-Type, with the wrong one, and as broken multipart. Random
 * draws alone reach a NUL in the one field a route stores only now and then; this reaches every
 * field on every run.
 */
export function sweepRequests(rng: Rng, route: RouteFuzz, kind: "loader" | "action", fixtures: FixtureIds): FuzzRequest[] {
  const valid = (known: Record<string, readonly string[]> = {}) =>
    Object.entries(known)
      .filter(([, plausible]) => plausible.length > 0)
      .map(([n, plausible]): [string, string] => [n, resolve(plausible[0]!, fixtures)]);
  const validParams = Object.fromEntries(Object.entries(route.params ?? {}).map(([n, p]) => [n, resolve(p[0]!, fixtures)]));
  const values = () => ["a\0b", "x\uD800y", HUGE, rng.pick(["-1", "1e308", "-1e308", "NaN", "99999999999999999999999999999999999999"])];
  const out: FuzzRequest[] = [];
  const method = kind === "loader" ? "GET" : "POST";
  const fieldsKnown = kind === "loader" ? route.query : route.form;
  const make = (
    params: Record<string, string>,
    fields: [string, string][],
    note: string,
    body?: { type?: string; bytes: Uint8Array },
  ): FuzzRequest => {
    const encoded = encodeForm(fields);
    const path = fillPath(route.path, params);
    if (kind === "loader") return { method, params, target: encoded ? `${path}?${encoded}` : path, headers: {}, summary: `sweep: valid but ${note}` };
    const b = body ?? { type: "application/x-www-form-urlencoded", bytes: bytes(encoded) };
    return { method, params, target: path, headers: b.type ? { "Content-Type": b.type } : {}, body: b.bytes, summary: `sweep: valid but ${note}` };
  };
  const base = valid(fieldsKnown);
  for (const name of Object.keys(route.params ?? {})) {
    for (const v of [...values(), "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
      out.push(make({ ...validParams, [name]: v }, base, `param ${name}=${describeValue(v)}`));
  }
  const intentField = route.intentField ?? "intent";
  const branches: [string | null, readonly string[]][] =
    kind === "action" && route.intents ? Object.entries(route.intents) : [[null, Object.keys(fieldsKnown ?? {})]];
  for (const [intent, names] of branches) {
    const branchBase = intent === null ? base : [...base.filter(([n]) => n !== intentField), [intentField, intent] as [string, string]];
    for (const name of names) {
      for (const v of values()) {
        const fields = branchBase.filter(([n]) => n !== name);
        fields.push([name, v]);
        out.push(make(validParams, fields, `${intent === null ? "" : `${intentField}=${intent}, `}${name}=${describeValue(v)}`));
      }
    }
  }
  if (kind === "action") {
    const form = bytes(encodeForm(base));
    out.push(make(validParams, base, "no Content-Type", { bytes: form }));
    out.push(make(validParams, base, "Content-Type text/plain", { type: "text/plain", bytes: form }));
    out.push(make(validParams, base, "no body", { type: "application/x-www-form-urlencoded", bytes: new Uint8Array(0) }));
    out.push(
      make(validParams, base, "a JSON body", { type: "application/json", bytes: bytes(JSON.stringify(route.json?.() ?? Object.fromEntries(base))) }),
    );
    const boundary = "----sweep";
    const multipart = multipartBody(rng, { entries: base, summary: "" }, route.fileField, boundary).body;
    out.push(make(validParams, base, "multipart without boundary", { type: "multipart/form-data", bytes: multipart }));
    out.push(
      make(validParams, base, "multipart cut mid-part", {
        type: `multipart/form-data; boundary=${boundary}`,
        bytes: multipart.slice(0, Math.floor(multipart.byteLength * 0.6)),
      }),
    );
    for (const fileName of ["a;b=c.pdf", 'name="x"; filename="y.pdf', "a\0b.pdf", "x".repeat(2000) + ".pdf"]) {
      const body = bytes(
        base.map(([k, v]) => multipartPart(k, v, boundary)).join("") +
          `--${boundary}\r\nContent-Disposition: form-data; name="${route.fileField ?? "file"}"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--${boundary}--\r\n`,
      );
      out.push(
        make(validParams, base, `multipart filename ${describeValue(fileName)}`, { type: `multipart/form-data; boundary=${boundary}`, bytes: body }),
      );
    }
  }
  return out;
}
