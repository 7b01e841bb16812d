/**
 * Every route × every role × anonymous × another tenant, against the real loaders and actions on
 * a real database. The expectations below are the access policy written down independently of
 * app/utils/permissions.ts: if a route forgets its permission check, asks for the wrong one, or a
 * new route is added without an entry here, this test fails.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../db/schema.ts";
import {
  OTHER_TENANT,
  cookieFor,
  demoEmail,
  demoEvidenceId,
  demoInventoryId,
  demoProductId,
  run,
  seedFixtures,
  type Outcome,
  type RouteHandler,
} from "../support/fixtures.ts";
// certification pages: a case of the demo manufacturer at CCDC, with a document and an evidence file
import { caseFixture } from "./cases-support.ts";

type Access = "public" | "signed-in" | readonly Role[];
interface RouteAccess {
  url: string;
  /** JSON APIs answer an anonymous caller with 401 instead of sending them to the sign-in page. */
  api?: boolean;
  /** The URL names a record of the demo manufacturer: another tenant must get 404, as for a missing record. */
  ownerOnly?: boolean;
  params?: Record<string, string>;
  loader?: Access;
  action?: Access;
}

const MAKERS = ["manufacturer_admin", "manufacturer_member"] as const;
const PRODUCT = "00000000-0000-4000-8000-0000000000ff"; // replaced by the fixture product's id
const INVENTORY = "00000000-0000-4000-8000-0000000000ee"; // replaced by the fixture inventory's id
const EVIDENCE = "00000000-0000-4000-8000-0000000000dd"; // replaced by the fixture evidence file's id
// certification pages: placeholders replaced by the fixture case's ids
const CASE = "00000000-0000-4000-8000-0000000000cc";
const CASE_FILE = "00000000-0000-4000-8000-0000000000cf";
const CASE_EVIDENCE = "00000000-0000-4000-8000-0000000000ce";
const CASE_PARTIES = ["manufacturer_admin", "manufacturer_member", "cb_admin", "cb_reviewer", "cb_inspector", "cb_verifier", "cb_decider"] as const;

const ACCESS: Record<string, RouteAccess> = {
  root: { url: "/", loader: "public" },
  "routes/_index": { url: "/", loader: "public" },
  "routes/login": { url: "/login", loader: "public", action: "public" },
  "routes/logout": { url: "/logout", loader: "public", action: "public" },
  "routes/lang": { url: "/lang", loader: "public", action: "public" },
  "routes/healthz": { url: "/healthz", loader: "public" },
  "routes/invite.$token": { url: "/invite/not-a-token", params: { token: "not-a-token" }, loader: "public", action: "public" },
  "routes/dashboard": { url: "/dashboard", loader: "signed-in" },
  "routes/account": { url: "/account", loader: "signed-in", action: "signed-in" },
  "routes/org.profile": { url: "/org/profile", loader: ["manufacturer_admin", "cb_admin"], action: ["manufacturer_admin", "cb_admin"] },
  "routes/org.members": {
    url: "/org/members",
    loader: ["manufacturer_admin", "cb_admin", "platform_admin"],
    action: ["manufacturer_admin", "cb_admin", "platform_admin"],
  },
  "routes/admin.organizations": { url: "/admin/organizations", loader: ["platform_admin"], action: ["platform_admin"] },
  // factor dataset versions: list and import, one version (difference, publish, discard, drift watch), its CSV
  "routes/admin.datasets._index": { url: "/admin/datasets", loader: ["platform_admin"], action: ["platform_admin"] },
  "routes/admin.datasets.$datasetId.$version": {
    url: "/admin/datasets/CN-DEMO/2026.1",
    params: { datasetId: "CN-DEMO", version: "2026.1" },
    loader: ["platform_admin"],
    action: ["platform_admin"],
  },
  "routes/admin.datasets.$datasetId.$version_.csv": {
    url: "/admin/datasets/CN-DEMO/2026.1/csv",
    params: { datasetId: "CN-DEMO", version: "2026.1" },
    loader: ["platform_admin"],
  },
  "routes/api.v1.footprints.calculate": { url: "/api/v1/footprints/calculate", api: true, loader: "public", action: "signed-in" },
  "routes/api.v1.schema.inventory[.]json": { url: "/api/v1/schema/inventory.json", loader: "public" },
  "routes/products._index": { url: "/products", loader: MAKERS },
  "routes/products.new": { url: "/products/new", loader: MAKERS, action: MAKERS },
  "routes/inventories.$inventoryId": {
    url: `/inventories/${INVENTORY}`,
    params: { inventoryId: INVENTORY },
    ownerOnly: true,
    loader: MAKERS,
    action: MAKERS,
  },
  "routes/products.$productId": { url: `/products/${PRODUCT}`, params: { productId: PRODUCT }, ownerOnly: true, loader: MAKERS, action: MAKERS },
  // Inventory editor: factor search (JSON), evidence download, version comparison
  "routes/inventories.$inventoryId_.factors": {
    url: `/inventories/${INVENTORY}/factors?q=coal`,
    params: { inventoryId: INVENTORY },
    api: true,
    ownerOnly: true,
    loader: MAKERS,
  },
  // The registry lookup of a certificate a supplier line would cite (JSON)
  "routes/inventories.$inventoryId_.certificate": {
    url: `/inventories/${INVENTORY}/certificate?number=CCDC-CF-2026-000001`,
    params: { inventoryId: INVENTORY },
    api: true,
    ownerOnly: true,
    loader: MAKERS,
  },
  // Moving an inventory to a newer factor dataset version: preview, then a new inventory version
  "routes/inventories.$inventoryId_.dataset": {
    url: `/inventories/${INVENTORY}/dataset`,
    params: { inventoryId: INVENTORY },
    ownerOnly: true,
    loader: MAKERS,
    action: MAKERS,
  },
  "routes/evidence.$evidenceId": { url: `/evidence/${EVIDENCE}`, params: { evidenceId: EVIDENCE }, ownerOnly: true, loader: MAKERS },
  "routes/inventories.compare": { url: `/inventories/compare?a=${INVENTORY}`, ownerOnly: true, loader: MAKERS },
  // Inventory workbooks: upload page (no-JS import), template, export, streamed import
  "routes/inventories.$inventoryId_.workbook": {
    url: `/inventories/${INVENTORY}/workbook`,
    params: { inventoryId: INVENTORY },
    ownerOnly: true,
    loader: MAKERS,
    action: MAKERS,
  },
  "routes/inventories.$inventoryId_.workbook.template": {
    url: `/inventories/${INVENTORY}/workbook/template`,
    params: { inventoryId: INVENTORY },
    ownerOnly: true,
    loader: MAKERS,
  },
  "routes/inventories.$inventoryId_.workbook.export": {
    url: `/inventories/${INVENTORY}/workbook/export`,
    params: { inventoryId: INVENTORY },
    ownerOnly: true,
    loader: MAKERS,
  },
  "routes/inventories.$inventoryId_.workbook.import": {
    url: `/inventories/${INVENTORY}/workbook/import`,
    params: { inventoryId: INVENTORY },
    ownerOnly: true,
    action: MAKERS,
  },
  // certification pages: inbox, application, case page (one action for every event), case files, notifications
  "routes/cases._index": { url: "/cases", loader: CASE_PARTIES },
  // the body's drift queue (certificates a new factor dataset version moves beyond tolerance)
  "routes/cases.drift": { url: "/cases/drift", loader: ["cb_admin", "cb_reviewer", "cb_inspector", "cb_verifier", "cb_decider"] },
  "routes/cases.new": { url: "/cases/new", loader: MAKERS, action: MAKERS },
  "routes/cases.$caseId": { url: `/cases/${CASE}`, params: { caseId: CASE }, ownerOnly: true, loader: CASE_PARTIES, action: CASE_PARTIES },
  "routes/cases.$caseId_.files.$fileId": {
    url: `/cases/${CASE}/files/${CASE_FILE}`,
    params: { caseId: CASE, fileId: CASE_FILE },
    ownerOnly: true,
    loader: CASE_PARTIES,
  },
  "routes/cases.$caseId_.evidence.$evidenceId": {
    url: `/cases/${CASE}/evidence/${CASE_EVIDENCE}`,
    params: { caseId: CASE, evidenceId: CASE_EVIDENCE },
    ownerOnly: true,
    loader: CASE_PARTIES,
  },
  "routes/notifications": { url: "/notifications", loader: "signed-in", action: "signed-in" },
  // certificates: public verification (page, upload, API), keys, API description, registry, downloads
  "routes/[.]well-known.carbonlabel-keys[.]json": { url: "/.well-known/carbonlabel-keys.json", loader: "public" },
  "routes/api.v1.certificates.$number": {
    url: "/api/v1/certificates/CCDC-CF-2026-000001",
    params: { number: "CCDC-CF-2026-000001" },
    api: true,
    loader: "public",
    action: "public",
  },
  "routes/api.v1.openapi[.]json": { url: "/api/v1/openapi.json", loader: "public" },
  "routes/verify._index": { url: "/verify", loader: "public", action: "public" },
  "routes/verify.$number": { url: "/verify/CCDC-CF-2026-000001", params: { number: "CCDC-CF-2026-000001" }, loader: "public", action: "public" },
  "routes/registry": { url: "/registry", loader: "public" },
  // the factor library: public reference data (a factor's page adds the viewer's own inventories when signed in)
  "routes/factors._index": { url: "/factors", loader: "public" },
  "routes/factors.$code": { url: "/factors/FUEL-DIESEL", params: { code: "FUEL-DIESEL" }, loader: "public" },
  "routes/certificates.$number.certificate[.]pdf": {
    url: "/certificates/CCDC-CF-2026-000001/certificate.pdf",
    params: { number: "CCDC-CF-2026-000001" },
    loader: "public",
  },
  "routes/certificates.$number.certificate[.]json": {
    url: "/certificates/CCDC-CF-2026-000001/certificate.json",
    params: { number: "CCDC-CF-2026-000001" },
    loader: "public",
  },
  "routes/certificates.$number.label[.]svg": {
    url: "/certificates/CCDC-CF-2026-000001/label.svg",
    params: { number: "CCDC-CF-2026-000001" },
    loader: "public",
  },
  "routes/certificates.$number.label[.]png": {
    url: "/certificates/CCDC-CF-2026-000001/label.png",
    params: { number: "CCDC-CF-2026-000001" },
    loader: "public",
  },
};

type RouteModule = { loader?: RouteHandler; action?: RouteHandler };
const routeModules = import.meta.glob<RouteModule>(["../../app/routes/*.tsx", "../../app/root.tsx"], { eager: true });
const modules = Object.fromEntries(Object.entries(routeModules).map(([file, mod]) => [file.replace("../../app/", "").replace(/\.tsx$/, ""), mod]));

interface Principal {
  otherTenant?: boolean;
  name: string;
  role: Role | null;
  cookie?: string;
}
beforeAll(async () => {
  await seedFixtures();
  const productId = await demoProductId();
  const inventoryId = await demoInventoryId();
  const evidenceId = await demoEvidenceId();
  const fixture = await caseFixture();
  const caseIds: Record<string, string> = { [CASE]: fixture.caseId, [CASE_FILE]: fixture.fileId, [CASE_EVIDENCE]: fixture.evidenceId };
  for (const access of Object.values(ACCESS)) {
    access.url = access.url.replace(PRODUCT, productId).replace(INVENTORY, inventoryId).replace(EVIDENCE, evidenceId);
    if (access.params?.productId === PRODUCT) access.params.productId = productId;
    if (access.params?.inventoryId === INVENTORY) access.params.inventoryId = inventoryId;
    if (access.params?.evidenceId === EVIDENCE) access.params.evidenceId = evidenceId;
    for (const [placeholder, id] of Object.entries(caseIds)) {
      access.url = access.url.replace(placeholder, id);
      for (const [k, v] of Object.entries(access.params ?? {})) if (v === placeholder) access.params![k] = id;
    }
  }
});

/** Fresh sessions for every test: the sign-out probe ends the sessions it is given. */
async function signInEveryone(): Promise<Principal[]> {
  const principals: Principal[] = [{ name: "anonymous", role: null }];
  for (const role of ROLES) principals.push({ name: role, role, cookie: await cookieFor(demoEmail(role)) });
  principals.push({ name: "other-tenant admin", role: "manufacturer_admin", cookie: await cookieFor(OTHER_TENANT.adminEmail), otherTenant: true });
  return principals;
}

function allowed(access: Access, principal: Principal): boolean {
  if (access === "public") return true;
  if (!principal.role) return false;
  return access === "signed-in" || access.includes(principal.role);
}

function describeOutcome(o: Outcome): string {
  return o.kind === "redirect" ? `redirect ${o.location}` : `${o.kind} ${o.status}`;
}

function passedTheGate(o: Outcome): boolean {
  if (o.kind === "redirect") return !o.location.startsWith("/login");
  return !((o.kind === "error" || o.kind === "ok") && (o.status === 401 || o.status === 403));
}

describe("route access matrix", () => {
  it("lists every route module, and every listed route exists", () => {
    expect(Object.keys(modules).sort()).toEqual(Object.keys(ACCESS).sort());
    for (const [id, mod] of Object.entries(modules)) {
      const access = ACCESS[id]!;
      expect(Boolean(mod.loader), `${id} loader listed iff exported`).toBe(Boolean(access.loader));
      expect(Boolean(mod.action), `${id} action listed iff exported`).toBe(Boolean(access.action));
    }
  });

  for (const [id, access] of Object.entries(ACCESS)) {
    for (const kind of ["loader", "action"] as const) {
      const expected = access[kind];
      if (!expected) continue;
      it(`${id} ${kind}: ${typeof expected === "string" ? expected : expected.join(", ")}`, async () => {
        const handler = modules[id]![kind]!;
        const report: string[] = [];
        for (const principal of await signInEveryone()) {
          const outcome = await run(handler, {
            url: access.url,
            method: kind === "loader" ? "GET" : "POST",
            cookie: principal.cookie,
            params: access.params,
            form: kind === "action" ? { intent: "__probe__" } : undefined,
          });
          if (access.ownerOnly && principal.otherTenant) {
            if (describeOutcome(outcome) !== "error 404") report.push(`${principal.name} should get error 404 but got ${describeOutcome(outcome)}`);
            continue;
          }
          const ok = allowed(expected, principal);
          if (ok && !passedTheGate(outcome)) report.push(`${principal.name} should pass but got ${describeOutcome(outcome)}`);
          if (!ok) {
            const wanted = principal.role ? "error 403" : access.api ? "error 401" : "redirect /login";
            const got = describeOutcome(outcome);
            if (!got.startsWith(wanted)) report.push(`${principal.name} should get ${wanted} but got ${got}`);
          }
        }
        expect(report).toEqual([]);
      });
    }
  }
});
