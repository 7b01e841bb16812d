/**
 * The long fuzz run, over HTTP against the real server.
 *
 *   npm run build && npx tsx bench/fuzz/run.ts [--count 5000] [--seed 20260611] [--batch 100] [--url http://host:port]
 *   npm run bench -- fuzz
 *
 * Starts app/serve.ts (production build) on a free port with a fresh embedded database and the demo
 * data, as the browser tests do (test/e2e/support/server-process.ts), unless --url points at a
 * running server. Signs in as every demo account, finds real record ids by reading the pages
 * (products, inventories, evidence, cases, their files, certificates), then sends --count
 * malformed requests drawn from the same route table and generators as the in-process fuzz test
 * (test/support/fuzz.ts) to random routes as random callers — page requests, single-fetch `.data`
 * requests, and form posts — written to raw sockets, so it can also send what fetch refuses to:
 * NUL and raw non-ASCII bytes in the request line, 100 kB headers, a body shorter than its
 * Content-Length, broken chunked encoding, a request line that is not HTTP.
 *
 * Passes when no answer is a 5xx and, after every batch, the server process is alive and
 * GET /healthz answers 200. Prints the status counts and every 5xx (route, caller, input), then
 * exits 1 if there was any.
 */
import net from "node:net";
import { parseArgs } from "node:util";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import {
  actionRequest,
  fuzzCookie,
  loaderRequest,
  percentEncode,
  Rng,
  ROUTE_FUZZ,
  type FixtureIds,
  type FuzzRequest,
} from "../../test/support/fuzz.ts";
import { startServer, type RunningServer } from "../../test/e2e/support/server-process.ts";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "2000" },
    seed: { type: "string", default: "20260611" },
    batch: { type: "string", default: "100" },
    url: { type: "string" },
  },
});
const COUNT = Number(args.count);
const SEED = Number(args.seed);
const BATCH = Number(args.batch);
/** An honest answer takes well under this even on a busy 2-core machine. */
const ANSWER_TIMEOUT_MS = 30_000;

interface Answer {
  status: number | null;
  headers: string;
  body: string;
  /** Why there is no status: closed without answering, timed out. */
  note?: string;
}

/** Writes the bytes to a fresh connection and reads the answer's status line, headers and the start of the body. */
function exchange(base: URL, raw: Uint8Array, options: { halfClose?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (note?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const split = text.indexOf("\r\n\r\n");
      resolve({
        status: match ? Number(match[1]) : null,
        headers: split >= 0 ? text.slice(0, split) : text,
        body:
          split >= 0
            ? Buffer.from(text.slice(split + 4), "latin1")
                .toString("utf8")
                .slice(0, 400)
            : "",
        note,
      });
    };
    const timer = setTimeout(() => finish(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`), ANSWER_TIMEOUT_MS);
    socket.on("connect", () => {
      socket.write(raw);
      if (options.halfClose) socket.end();
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // The status line is what we judge; a large body (a PDF, a workbook) need not be read to the end.
      if (Buffer.concat(chunks).length > 64 * 1024) finish();
    });
    socket.on("end", () => finish(chunks.length ? undefined : "closed without an answer"));
    socket.on("error", (error) => finish(`socket error: ${error.message}`));
  });
}

function encodeRequest(base: URL, method: string, target: string, headers: Record<string, string>, body?: Uint8Array): Uint8Array {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${base.host}`, "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) lines.push(`Content-Length: ${body.byteLength}`);
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), body ?? new Uint8Array(0)]);
}

/** A request through fetch, for signing in and reading pages. */
async function page(base: URL, target: string, cookie?: string): Promise<string> {
  const response = await fetch(new URL(target, base), { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  return response.text();
}

async function signIn(base: URL, email: string): Promise<string> {
  const response = await fetch(new URL("/login", base), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
    redirect: "manual",
  });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const session = cookies.find((c) => c.startsWith("__session="));
  if (!session) throw new Error(`could not sign in as ${email}: ${response.status}`);
  return session;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const first = (html: string, pattern: RegExp, fallback: string) => pattern.exec(html)?.[1] ?? fallback;

/** Real record ids, read from the pages the demo accounts see. */
async function discoverFixtures(base: URL, cookies: Record<string, string>): Promise<FixtureIds> {
  const maker = cookies["manufacturer_admin"]!;
  const missing = "00000000-0000-4000-8000-000000000000";
  const product = first(await page(base, "/products", maker), new RegExp(`/products/(${UUID})`), missing);
  const productPage = await page(base, `/products/${product}`, maker);
  const inventory = first(productPage, new RegExp(`/inventories/(${UUID})`), missing);
  let evidence = missing;
  for (const match of productPage.matchAll(new RegExp(`/inventories/(${UUID})`, "g"))) {
    evidence = first(await page(base, `/inventories/${match[1]}`, maker), new RegExp(`/evidence/(${UUID})`), missing);
    if (evidence !== missing) break;
  }
  const kase = first(await page(base, "/cases", maker), new RegExp(`/cases/(${UUID})`), missing);
  const casePage = await page(base, `/cases/${kase}`, maker);
  const registry = await page(base, "/registry");
  return {
    product,
    inventory,
    evidence,
    case: kase,
    caseFile: first(casePage, new RegExp(`/cases/${UUID}/files/(${UUID})`), missing),
    caseEvidence: first(casePage, new RegExp(`/cases/${UUID}/evidence/(${UUID})`), missing),
    certificate: first(registry, /\/verify\/([A-Z]+-[A-Z]{2}-\d{4}-\d{6})/, "CCDC-CF-2026-000001"),
    token: "not-a-token",
    cb: first(await page(base, "/cases/new", maker), new RegExp(`name="cbOrganizationId"[^>]*value="(${UUID})"`), missing),
  };
}

/** Requests fetch cannot send: broken at the level of HTTP itself. */
function rawRequest(rng: Rng, base: URL): { bytes: Uint8Array; summary: string; halfClose?: boolean } {
  const host = `Host: ${base.host}\r\nConnection: close\r\n`;
  const cases: (() => { bytes: Uint8Array; summary: string; halfClose?: boolean })[] = [
    () => ({ bytes: Buffer.from(`GET /registry?q=a\0b HTTP/1.1\r\n${host}\r\n`, "latin1"), summary: "raw NUL in the query" }),
    () => ({ bytes: Buffer.from(`GET /verify/\0 HTTP/1.1\r\n${host}\r\n`, "latin1"), summary: "raw NUL in the path" }),
    () => ({
      bytes: Buffer.concat([Buffer.from("GET /products/"), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(` HTTP/1.1\r\n${host}\r\n`)]),
      summary: "raw non-UTF-8 bytes in the path",
    }),
    () => ({
      bytes: Buffer.from(`GET /registry?company=%ED%A0%80 HTTP/1.1\r\n${host}\r\n`, "latin1"),
      summary: "an encoded lone surrogate in the query",
    }),
    () => ({ bytes: Buffer.from(`GET / HTTP/1.1\r\n${host}X-Big: ${"a".repeat(100_000)}\r\n\r\n`, "latin1"), summary: "a 100 kB header" }),
    () => ({
      bytes: Buffer.from(`GET / HTTP/1.1\r\n${host}${Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${i}`).join("\r\n")}\r\n\r\n`, "latin1"),
      summary: "3000 headers",
    }),
    () => ({ bytes: Buffer.from(`GET / HTTP/1.1\r\n${host}Cookie: ${"__session=x; ".repeat(2000)}\r\n\r\n`, "latin1"), summary: "a 24 kB cookie" }),
    () => ({
      bytes: Buffer.from(
        `POST /login HTTP/1.1\r\n${host}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a`,
        "latin1",
      ),
      summary: "a body shorter than its Content-Length",
      halfClose: true,
    }),
    () => ({
      bytes: Buffer.from(
        `POST /lang HTTP/1.1\r\n${host}Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nlocale=en\r\n0\r\n\r\n`,
        "latin1",
      ),
      summary: "broken chunked encoding",
    }),
    () => ({
      bytes: Buffer.from(`POST /lang HTTP/1.1\r\n${host}Content-Length: 5\r\nContent-Length: 9\r\n\r\nlocale=en`, "latin1"),
      summary: "two Content-Lengths",
    }),
    () => ({
      bytes: Buffer.from(
        `POST /api/v1/footprints/calculate HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{`,
        "latin1",
      ),
      summary: "a 100 GB Content-Length",
      halfClose: true,
    }),
    () => ({ bytes: Buffer.from(`BREW /registry HTTP/1.1\r\n${host}\r\n`, "latin1"), summary: "an unknown method" }),
    () => ({ bytes: Buffer.from(`GET /../../../etc/passwd HTTP/1.1\r\n${host}\r\n`, "latin1"), summary: "dot segments above the root" }),
    () => ({ bytes: Buffer.from(`GET http://evil.example/registry HTTP/1.1\r\n${host}\r\n`, "latin1"), summary: "an absolute-form request target" }),
    () => ({ bytes: Buffer.from(`GET /${"a/".repeat(20_000)} HTTP/1.1\r\n${host}\r\n`, "latin1"), summary: "a 40 kB path" }),
    () => ({
      bytes: Buffer.from("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "latin1"),
      summary: "a TLS hello on the plain port",
      halfClose: true,
    }),
    () => ({ bytes: Buffer.from(`GET / HTTP/1.1\r\nConnection: close\r\n\r\n`, "latin1"), summary: "no Host header" }),
    () => ({
      bytes: Buffer.from(`GET /registry.data?_routes=${"routes%2Fregistry,".repeat(500)} HTTP/1.1\r\n${host}\r\n`, "latin1"),
      summary: "single fetch with 500 route ids",
    }),
  ];
  return rng.pick(cases)();
}

interface Finding {
  what: string;
  status: number | null;
  detail: string;
}

async function main() {
  let server: RunningServer | undefined;
  const base = new URL(args.url ?? (server = await startServer({ COOKIE_SECURE: "false", BACKGROUND_JOBS: "off" })).url);
  console.log(`fuzz over HTTP: ${base.origin}, seed ${SEED}, ${COUNT} requests in batches of ${BATCH}`);
  const findings: Finding[] = [];
  const statuses = new Map<string, number>();
  try {
    const cookies: Record<string, string> = {};
    for (const account of DEMO_ACCOUNTS) cookies[account.role] ??= await signIn(base, account.email);
    const fixtures = await discoverFixtures(base, cookies);
    console.log(`fixtures: ${JSON.stringify(fixtures)}`);
    const callers: [string, string | undefined][] = [["anonymous", undefined], ...Object.entries(cookies)];
    const routes = Object.entries(ROUTE_FUZZ).flatMap(([id, route]) =>
      (["loader", "action"] as const).filter((k) => route[k]).map((kind) => ({ id, route, kind })),
    );
    const rng = new Rng(SEED);
    const started = Date.now();

    for (let sent = 0; sent < COUNT;) {
      const batchEnd = Math.min(COUNT, sent + BATCH);
      for (; sent < batchEnd; sent++) {
        const r = rng.fork(`request ${sent}`);
        let what: string;
        let answer: Answer;
        if (r.chance(0.06)) {
          const raw = rawRequest(r, base);
          what = `raw: ${raw.summary}`;
          answer = await exchange(base, raw.bytes, { halfClose: raw.halfClose });
        } else {
          const { id, route, kind } = r.pick(routes);
          const [callerName, callerCookie] = r.pick(callers);
          const req: FuzzRequest = kind === "loader" ? loaderRequest(r, route, fixtures) : actionRequest(r, route, fixtures);
          let target = req.target;
          // Posts to an index route's URL go to its parent unless marked ?index.
          if (kind === "action" && id.endsWith("_index")) target += target.includes("?") ? "&index" : "?index";
          // A third of the loader requests as single fetch asks for them (`.data`), the rest as page loads.
          if (kind === "loader" && r.chance(0.33)) {
            const [p, q] = [target.split("?")[0]!, target.split("?")[1]];
            target = `${p === "/" ? "/_root" : p}.data?${q ? `${q}&` : ""}_routes=${percentEncode(id)}`;
          }
          const cookie = callerCookie ?? fuzzCookie(r);
          const headers: Record<string, string> = { ...req.headers, ...(cookie ? { Cookie: cookie } : {}) };
          // A declared length that does not match the body makes the server wait for bytes that never come.
          delete headers["Content-Length"];
          what = `${id} ${kind} as ${callerName}: ${req.method} ${target.length > 200 ? `${target.slice(0, 200)}…` : target} ${req.summary}`;
          answer = await exchange(base, encodeRequest(base, req.method, target, headers, req.body));
        }
        const key = answer.status === null ? (answer.note ?? "no status") : String(answer.status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (answer.status !== null && answer.status >= 500)
          findings.push({ what, status: answer.status, detail: answer.body.replace(/\s+/g, " ").slice(0, 300) });
        if (answer.note?.startsWith("no answer")) findings.push({ what, status: null, detail: answer.note });
      }
      // The server stays up: its process and its database.
      if (server && server.process.exitCode !== null)
        throw new Error(`the server exited (${server.process.exitCode}) during batch ending at ${sent}:\n${server.output().slice(-3000)}`);
      const health = await exchange(base, encodeRequest(base, "GET", "/healthz", {}));
      if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status ?? health.note} after ${sent} requests`);
      process.stdout.write(`  ${sent}/${COUNT} sent, ${findings.length} server errors, ${((Date.now() - started) / 1000).toFixed(0)} s\r`);
    }
    console.log(`\n\nstatus counts (${COUNT} requests, ${((Date.now() - started) / 1000).toFixed(1)} s):`);
    for (const [status, n] of [...statuses.entries()].sort()) console.log(`  ${status.padEnd(28)} ${n}`);
  } finally {
    if (findings.length > 0) {
      console.log(`\n${findings.length} server errors (seed ${SEED}):`);
      for (const f of findings) console.log(`- ${f.status ?? "-"} ${f.what.slice(0, 700)}\n    ${f.detail}`);
    }
    if (server) {
      const errors = server
        .output()
        .split("\n")
        .filter((l) => /error/i.test(l));
      if (errors.length > 0)
        console.log(`\nserver log lines mentioning errors (last 30 of ${errors.length}):\n${errors.slice(-30).join("\n").slice(0, 6000)}`);
      await server.stop();
    }
  }
  process.exitCode = findings.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
