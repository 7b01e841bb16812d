/**
 * Fuzz test: every loader and every action of every route module, as an anonymous visitor, as each
 * role and as another tenant's admin, with malformed input from a seeded generator
 * (test/support/fuzz.ts): boundary strings (NUL, lone surrogates, 100 kB), negative and huge
 * numbers, invalid ids in path parameters, wrong or missing Content-Type, JSON, well-formed and
 * broken multipart bodies, hostile headers and cookies. The handlers run in-process against a real
 * database, as in the access matrix.
 *
 * A server error is what a visitor would see as a 5xx: a thrown error that is not a Response, a
 * Response (or data()) with status >= 500, a body that fails while it streams, or an error logged
 * to the console while answering. After each route the health check must still answer: the
 * database connection survived. Every failure is collected and reported in one assertion, grouped
 * by route and error, so the report is a to-do list.
 *
 *   FUZZ_SEED=<n>  FUZZ_COUNT=<requests per route, handler and caller>  npx vitest run test/routes/fuzz.test.ts
 *
 * bench/fuzz/run.ts is the longer run over HTTP against the real server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../db/schema.ts";
import { createInvitation } from "../../app/services/invitations.server.ts";
import { actionRequest, fuzzCookie, loaderRequest, Rng, ROUTE_FUZZ, sweepRequests, type FixtureIds, type FuzzRequest } from "../support/fuzz.ts";
import {
  OTHER_TENANT,
  cookieFor,
  demoEmail,
  demoEvidenceId,
  demoInventoryId,
  demoProductId,
  seedFixtures,
  userIdByEmail,
} from "../support/fixtures.ts";
import { caseFixture, ccdcId } from "./cases-support.ts";
import { issuedCertificate, useTestSigning } from "./certificates-support.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_611);
const COUNT = Number(process.env.FUZZ_COUNT ?? 4);
/** Requests for a caller whose every answer so far was "sign in" or "forbidden". */
const GATED_COUNT = 1;
/** Longer than any honest answer on this machine; a hang is reported, not waited out. */
const CALL_TIMEOUT_MS = 15_000;

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;
type RouteModule = { loader?: Handler; action?: Handler };
const routeModules = import.meta.glob<RouteModule>(["../../app/routes/*.tsx", "../../app/root.tsx"], { eager: true });
const modules = Object.fromEntries(Object.entries(routeModules).map(([file, mod]) => [file.replace("../../app/", "").replace(/\.tsx$/, ""), mod]));

interface Caller {
  name: string;
  role: Role | null;
  cookie?: string;
}

interface Failure {
  route: string;
  kind: "loader" | "action";
  caller: string;
  input: string;
  error: string;
}

const failures: Failure[] = [];
let calls = 0;
let fixtures: FixtureIds;

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED}, ${COUNT} requests per route, handler and caller (FUZZ_SEED, FUZZ_COUNT)`);
  useTestSigning();
  const db = await seedFixtures();
  const [product, inventory, evidence, kase, certificate] = [
    await demoProductId(),
    await demoInventoryId(),
    await demoEvidenceId(),
    await caseFixture(),
    await issuedCertificate("fuzz-certificate"),
  ];
  const maker = await db.selectFrom("products").select("organization_id").where("id", "=", product).executeTakeFirstOrThrow();
  const token = await createInvitation(db, {
    organizationId: maker.organization_id,
    email: "fuzz-invitee@example.com",
    name: "Fuzz",
    roles: ["manufacturer_member"],
    invitedBy: await userIdByEmail("admin@hualv.demo"),
  });
  fixtures = {
    product,
    inventory,
    evidence,
    case: kase.caseId,
    caseFile: kase.fileId,
    caseEvidence: kase.evidenceId,
    certificate: certificate.number,
    token,
    cb: await ccdcId(),
  };
}, 120_000);

/** Fresh sessions for every handler: an action may end the session it was given (sign-out, password change). */
async function callers(): Promise<Caller[]> {
  const all: Caller[] = [{ name: "anonymous", role: null }];
  for (const role of ROLES) all.push({ name: role, role, cookie: await cookieFor(demoEmail(role)) });
  all.push({ name: "other-tenant admin", role: "manufacturer_admin", cookie: await cookieFor(OTHER_TENANT.adminEmail) });
  return all;
}

function toRequest(req: FuzzRequest, cookie: string | undefined): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) headers.set(name, value);
  if (cookie) headers.set("Cookie", cookie);
  return new Request(new URL(req.target, "http://localhost"), {
    method: req.method,
    headers,
    body: req.method === "GET" || req.method === "HEAD" || !req.body ? undefined : new Uint8Array(req.body),
  });
}

/** Where an error was raised in our code, so the report points at the line to fix. */
function origin(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const frame = stack.split("\n").find((l) => /\/(app|db|rules|workflows)\//.test(l) && !l.includes("node_modules"));
  return frame
    ? ` @ ${frame
        .trim()
        .replace(/^at /, "")
        .replace(/^.*?\/work\/main\//, "")
        .replace(/\)$/, "")}`
    : "";
}

function message(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message.slice(0, 300)}${origin(error)}`;
  return `thrown ${typeof error}: ${String(error).slice(0, 200)}`;
}

/** Runs one request as Remix would and says what a visitor would see as a server error, if anything. */
async function serverError(handler: Handler, req: FuzzRequest, cookie: string | undefined, gate?: { refused: boolean }): Promise<string | null> {
  const logged: unknown[][] = [];
  const originalError = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  let timer: NodeJS.Timeout | undefined;
  try {
    const request = toRequest(req, cookie);
    const answered = (async () => {
      let result: unknown;
      try {
        result = await handler({ request, params: req.params, context: { clientIp: "203.0.113.9" } });
      } catch (thrown) {
        if (!(thrown instanceof Response)) return message(thrown);
        result = thrown;
      }
      if (result instanceof Response) {
        if (gate) gate.refused = result.status === 401 || result.status === 403 || (result.headers.get("Location") ?? "").startsWith("/login");
        if (result.status >= 500) return `Response ${result.status}: ${(await result.text().catch(() => "")).slice(0, 200)}`;
        try {
          await result.arrayBuffer();
        } catch (error) {
          return `body failed while streaming: ${message(error)}`;
        }
        return null;
      }
      const init = (result as { init?: { status?: number } | null } | null)?.init;
      if (result && typeof result === "object" && result.constructor?.name === "DataWithResponseInit" && (init?.status ?? 200) >= 500)
        return `data() with status ${init?.status}`;
      return null;
    })();
    const timeout = new Promise<string>(
      (resolve) => (timer = setTimeout(() => resolve(`no answer within ${CALL_TIMEOUT_MS / 1000} s`), CALL_TIMEOUT_MS)),
    );
    const outcome = await Promise.race([answered, timeout]);
    if (outcome) return outcome;
    if (logged.length > 0)
      return `logged console.error: ${logged[0]!
        .map((a) => (a instanceof Error ? message(a) : String(a)))
        .join(" ")
        .slice(0, 300)}`;
    return null;
  } finally {
    clearTimeout(timer);
    console.error = originalError;
  }
}

describe("route fuzzing", () => {
  it("covers every route module, and every covered route exists", () => {
    expect(Object.keys(modules).sort(), "a route module without an entry in ROUTE_FUZZ (test/support/fuzz.ts), or an entry without a module").toEqual(
      Object.keys(ROUTE_FUZZ).sort(),
    );
    for (const [id, mod] of Object.entries(modules)) {
      expect(Boolean(mod.loader), `${id}: loader fuzzed iff exported`).toBe(Boolean(ROUTE_FUZZ[id]!.loader));
      expect(Boolean(mod.action), `${id}: action fuzzed iff exported`).toBe(Boolean(ROUTE_FUZZ[id]!.action));
    }
  });

  for (const [id, route] of Object.entries(ROUTE_FUZZ)) {
    for (const kind of ["loader", "action"] as const) {
      if (!route[kind]) continue;
      it(`${id} ${kind}`, { timeout: 120_000 }, async () => {
        const handler = modules[id]?.[kind];
        if (!handler) return; // reported by the coverage test above
        const record = (caller: Caller, req: FuzzRequest, cookie: string | undefined, error: string | null) => {
          calls++;
          if (error)
            failures.push({
              route: id,
              kind,
              caller: caller.name,
              input: `${req.target.length > 200 ? req.target.slice(0, 200) + "…" : req.target} ${req.summary}${!caller.cookie && cookie ? `; Cookie ${cookie.slice(0, 40)}` : ""}`,
              error,
            });
        };
        let insider: Caller | undefined;
        for (const caller of await callers()) {
          const rng = new Rng(SEED).fork(`${id} ${kind} ${caller.name}`);
          let refused = 0;
          let i = 0;
          // A caller the route turns away at the door gets a few requests (the gate itself is
          // fuzzed); the rest of the budget goes where the fields are read.
          for (; i < COUNT && !(refused >= GATED_COUNT && refused === i); i++) {
            const req = kind === "loader" ? loaderRequest(rng, route, fixtures) : actionRequest(rng, route, fixtures);
            const cookie = caller.cookie ?? fuzzCookie(rng);
            const gate = { refused: false };
            record(caller, req, cookie, await serverError(handler, req, cookie, gate));
            if (gate.refused) refused++;
          }
          if (refused < i) insider ??= caller;
        }
        // Every field broken in turn, as the first caller the route lets in.
        if (insider) {
          const rng = new Rng(SEED).fork(`${id} ${kind} sweep`);
          for (const req of sweepRequests(rng, route, kind, fixtures))
            record(insider, req, insider.cookie, await serverError(handler, req, insider.cookie));
        }
        // The server stays up: the database connection survived whatever the route did.
        const health = await serverError(
          modules["routes/healthz"]!.loader!,
          { method: "GET", params: {}, target: "/healthz", headers: {}, summary: "" },
          undefined,
        );
        if (health) failures.push({ route: id, kind, caller: "-", input: "GET /healthz after the route's requests", error: health });
      });
    }
  }

  it("answers no request with a server error", () => {
    const groups = new Map<string, { callers: Set<string>; count: number; input: string }>();
    for (const f of failures) {
      const key = `${f.route} ${f.kind}: ${f.error}`;
      const group = groups.get(key) ?? { callers: new Set<string>(), count: 0, input: f.input };
      group.callers.add(f.caller);
      group.count++;
      groups.set(key, group);
    }
    const report = [...groups.entries()].map(
      ([key, g]) => `- ${key}\n    ${g.count}× as ${[...g.callers].join(", ")}; first input: ${g.input.slice(0, 600)}`,
    );
    expect(
      failures.length,
      `${failures.length} server errors in ${calls} requests (seed ${SEED}, FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT} to reproduce), ${groups.size} distinct:\n${report.join("\n")}`,
    ).toBe(0);
  });
});
