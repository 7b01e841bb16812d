/**
 * Benchmark: the public verification API under load, beside a bare node:http server.
 *
 *   npx tsx bench/verify/load.ts [--duration 20] [--connections 50] [--all-numbers] [--no-cache]
 *
 * Creates a throw-away database on a real PostgreSQL (BENCH_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test as the admin connection), migrates it, loads the demo
 * data with its signed certificates, and starts the real server (app/serve.ts, production build,
 * background jobs off, the per-client limit raised to a billion so it is counted on every request
 * but never refuses — 50 connections from one address would otherwise be limited, which is the
 * limit doing its job, not the API's speed). Then, in the same
 * run on the same machine, autocannon drives for the same time and connections:
 *   1. a bare node:http server answering a fixed JSON body of the API answer's exact size;
 *   2. GET /api/v1/certificates/{number} of a valid demo certificate (or, with --all-numbers,
 *      every demo certificate in turn).
 * Each server runs in its own process; each gets a 3 s warm-up, then the two are driven in
 * alternating halves (bare, API, bare, API) so that load from other work on the machine weighs on
 * both alike; requests/s is over the whole time, p99 the worse half's. `--no-cache` turns off
 * the server's one-second answer cache (CERTIFICATE_API_CACHE_MS=0): every request then queries
 * PostgreSQL and verifies the signature.
 * Targets: at least half the bare server's requests/s, p99 ≤ 25 ms, no errors and no non-2xx.
 * Also checks that every answered request was logged (verification_log) once the server stops
 * (autocannon does not count answers still in flight when its time is up, so the log may hold a
 * few more rows than it counted).
 */
import autocannon, { type Result } from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { setCertificateIssuer } from "../../workflows/certificates/issuer.ts";
import { connect } from "../../db/client.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { seedDemoData } from "../../workflows/demo/demo.ts";
import { environmentKeyStore } from "../../workflows/certificates/keys.ts";
import { appCertificateIssuer } from "../../app/services/certificates/issuer.server.ts";

const root = path.resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const duration = option("duration", 20);
const connections = option("connections", 50);
const allNumbers = args.includes("--all-numbers");
const noCache = args.includes("--no-cache");
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts a child and resolves once it prints `marker`. */
async function startChild(
  command: string[],
  env: Record<string, string>,
  marker: string,
): Promise<{ child: ChildProcess; output: () => string; stop: () => Promise<void> }> {
  const parentEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST"))) as Record<string, string>;
  const child = spawn(process.execPath, command, {
    cwd: root,
    env: { ...parentEnv, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let started = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command.join(" ")} did not start in 300 s:\n${output}`)), 300_000);
    child.stdout!.on("data", () => {
      if (!started && output.includes(marker)) {
        started = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${command.join(" ")} exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function load(url: string | { url: string; requests: { path: string }[] }, seconds: number): Promise<Result> {
  const target = typeof url === "string" ? { url } : url;
  return autocannon({ ...target, connections, duration: seconds, pipelining: 1 });
}

interface Combined {
  readonly requestsPerSecond: number;
  readonly p50: number;
  /** The worse half's p99 (percentiles of two runs do not add up; this errs on the slow side). */
  readonly p99: number;
  readonly max: number;
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  readonly non2xx: number;
}

function combine(results: readonly Result[], seconds: number): Combined {
  const sum = (f: (r: Result) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    requestsPerSecond: sum((r) => r.requests.total) / seconds,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    max: Math.max(...results.map((r) => r.latency.max)),
    requests: sum((r) => r.requests.total),
    ok: sum((r) => r["2xx"]),
    errors: sum((r) => r.errors + r.timeouts),
    non2xx: sum((r) => r.non2xx),
  };
}

function summary(name: string, r: Combined) {
  return {
    server: name,
    "requests/s": Math.round(r.requestsPerSecond),
    "p50 ms": r.p50,
    "p99 ms": r.p99,
    "max ms": r.max,
    requests: r.requests,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

// ---- database with signed demo certificates ----
const name = `carbonlabel_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const databaseUrl = withDatabase(adminUrl, name);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "carbonlabel-bench-verify-"));
const keys = Object.fromEntries(
  ["CCDC", "HBDC"].map((cb) => [
    cb,
    [{ validFrom: "2000-01-01", privateKey: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() }],
  ]),
);
const keysJson = JSON.stringify(keys);
const servers: { stop: () => Promise<void> }[] = [];

try {
  const database = connect(databaseUrl, { poolSize: 4 });
  await migrateToLatest(database.db);
  setCertificateIssuer(appCertificateIssuer(() => environmentKeyStore(keysJson)));
  await seedDemoData(database.db, { cases: true });
  const certificates = await database.db.selectFrom("certificates").select(["number", "status"]).orderBy("number").execute();
  await database.close();
  const valid = certificates.filter((c) => c.status === "valid").map((c) => c.number);
  if (valid.length === 0) throw new Error("the demo data issued no valid certificate");
  const paths = (allNumbers ? certificates.map((c) => c.number) : valid.slice(0, 1)).map((n) => `/api/v1/certificates/${n}`);

  // ---- the app ----
  const appPort = await freePort();
  const app = await startChild(
    ["--import", "tsx", "app/serve.ts"],
    {
      NODE_ENV: "production",
      PORT: String(appPort),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      DEMO_DATA: "off",
      BACKGROUND_JOBS: "off",
      VERIFY_RATE_LIMIT: "1000000000",
      ...(noCache ? { CERTIFICATE_API_CACHE_MS: "0" } : {}),
      SESSION_SECRET: randomBytes(32).toString("base64url"),
      CARBONLABEL_SIGNING_KEYS: keysJson,
    },
    "Ready. Stop with",
  );
  servers.push(app);
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sample = await fetch(`${appUrl}/api/v1/certificates/${valid[0]}`);
  const body = await sample.text();
  if (sample.status !== 200 || !body.includes('"verdict":"valid"')) throw new Error(`the API answered ${sample.status}: ${body.slice(0, 300)}`);

  // ---- the bare server, answering the same number of bytes ----
  const bodyFile = path.join(dataDir, "body.json");
  writeFileSync(bodyFile, body);
  const barePort = await freePort();
  const bare = await startChild(["--import", "tsx", "bench/verify/bare-server.ts"], { PORT: String(barePort), BODY_FILE: bodyFile }, "listening");
  servers.push(bare);

  const bareUrl = `http://127.0.0.1:${barePort}/`;
  const appTarget = paths.length === 1 ? `${appUrl}${paths[0]}` : { url: appUrl, requests: paths.map((p) => ({ path: p })) };
  console.log(
    `API body ${Buffer.byteLength(body)} bytes; ${paths.length} number(s)${noCache ? ", answer cache off" : ""}; ${connections} connections, ${duration} s each (two alternating halves) after a 3 s warm-up; ${os.cpus().length} CPU(s), load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  await load(bareUrl, 3);
  const appWarm = await load(appTarget, 3);
  // Alternating halves: other work on a shared machine comes and goes, and must weigh on both alike.
  const halves = { bare: [] as Result[], app: [] as Result[] };
  for (let round = 0; round < 2; round++) {
    halves.bare.push(await load(bareUrl, duration / 2));
    halves.app.push(await load(appTarget, duration / 2));
  }
  await bare.stop();
  servers.splice(servers.indexOf(bare), 1);
  const bareResult = combine(halves.bare, duration);
  const appResult = combine(halves.app, duration);

  // Everything answered was logged: the server writes its last batch when it stops.
  await app.stop();
  servers.splice(servers.indexOf(app), 1);
  const check = connect(databaseUrl, { poolSize: 1 });
  const logged = await check.db
    .selectFrom("verification_log")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("channel", "=", "api")
    .executeTakeFirstOrThrow();
  await check.close();

  const ratio = appResult.requestsPerSecond / bareResult.requestsPerSecond;
  console.table([summary("bare node:http", bareResult), summary("GET /api/v1/certificates/{number}", appResult)]);
  // autocannon counts answers; the sample fetch above is one more.
  const answered = appWarm["2xx"] + appResult.ok + 1;
  console.log(
    `verification_log rows (channel api): ${logged.n}; 2xx answers counted: ${answered}${Number(logged.n) >= answered ? " (every one logged)" : " — MISSING LOG ROWS"}`,
  );
  const targets = [
    [`API requests/s ≥ 50 % of bare (${(ratio * 100).toFixed(1)} %)`, ratio >= 0.5],
    [`API p99 ≤ 25 ms (${appResult.p99} ms)`, appResult.p99 <= 25],
    [`no errors and no non-2xx (${appResult.errors} errors, ${appResult.non2xx} non-2xx)`, appResult.errors + appResult.non2xx === 0],
  ] as const;
  for (const [label, ok] of targets) console.log(`${ok ? "✓" : "✗"} ${label}`);
  const [busy = 0] = os.loadavg();
  if (busy > os.cpus().length)
    console.log(
      `Note: the machine was busy (load average ${busy.toFixed(1)} on ${os.cpus().length} CPUs); both servers were measured under the same load.`,
    );
} finally {
  for (const s of servers) await s.stop().catch(() => undefined);
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}
