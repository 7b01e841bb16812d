/**
 * The production server: `npm start`.
 *
 * Builds the app if there is no build, opens the database (the embedded one unless DATABASE_URL
 * is set), migrates, seeds the demo data into an empty database, and serves on PORT (3000). On
 * SIGTERM/SIGINT it stops accepting connections, closes the database and exits.
 *
 * With `--dev` it serves through Vite's dev server with hot reload instead of the build.
 */
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { mailerFromEnv, startCaseWorkers, type CaseWorkers } from "../workflows/cases/index.ts";
import { closeDatabase, getDatabase, openDatabase, setDatabase } from "../db/client.ts";
import { databaseConfigFromEnv } from "../db/config.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "../workflows/demo/demo.ts";
// certificates: signing at issue, the verification log
import { setCertificateIssuer } from "../workflows/certificates/issuer.ts";
import { setLockedFootprintSource } from "../workflows/footprints/source.ts";
import { lockedFootprintSource } from "./services/cases/application.server.ts";
import { appCertificateIssuer } from "./services/certificates/issuer.server.ts";
import { certificateApiFastPath } from "./services/certificates/fast-path.server.ts";
import { certificateKeyStore } from "./services/certificates/keys.server.ts";
import { flushVerificationLog } from "./services/certificates/verification-log.server.ts";
import { remixHandler } from "./server/remix-handler.ts";
import { malformedUrlRefusal } from "./server/request-guards.ts";
import { securityHeaders } from "./server/security-headers.ts";
import { crossSiteRequestRefusal } from "./utils/cross-site.ts";
import { env, EnvironmentError } from "./utils/env.server.ts";

const dev = process.argv.includes("--dev");
const root = path.resolve(import.meta.dirname, "..");
const buildEntry = path.join(root, "build/server/index.js");

/** Newest modification time of the files a build is made from. */
function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale(): boolean {
  if (!existsSync(buildEntry)) return true;
  const built = statSync(buildEntry).mtimeMs;
  const sources = ["app", "db", "rules", "workflows"].map((d) => path.join(root, d)).filter(existsSync);
  const inputs = [...sources.map(newestSourceTime), statSync(path.join(root, "package-lock.json")).mtimeMs];
  return Math.max(...inputs) > built;
}

async function main() {
  if (!dev) process.env.NODE_ENV ??= "production";
  // Every variable is checked before anything starts (app/utils/env.server.ts).
  const config = env();
  const trustProxy = config.TRUST_PROXY === "true";

  if (!dev && buildIsStale()) {
    console.log("The build is missing or older than the sources: building the app (npm run build)…");
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  }

  setDatabase(openDatabase(databaseConfigFromEnv()));
  const database = await getDatabase();
  const applied = await migrateToLatest(database.db);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);

  // Certificates are signed when issued (outbox, seed): the key store is checked now, not at the first grant.
  const keyStore = certificateKeyStore();
  setCertificateIssuer(appCertificateIssuer());
  // Processes without a request (the demo seed below, the runners) compute stored results as an application does.
  setLockedFootprintSource(lockedFootprintSource);
  console.log(
    `Certificate signing keys: ${keyStore.source === "environment" ? "CARBONLABEL_SIGNING_KEYS" : `${config.DATA_DIR}/keys (generated per body on first use)`}.`,
  );

  // Demo data goes into an empty embedded database by default; a real server only gets it on request.
  const wantDemo = config.DEMO_DATA ? config.DEMO_DATA === "on" : database.embedded;
  const seeded = wantDemo ? await seedDemoData(database.db, { onlyIfEmpty: true, cases: true }) : false;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy);
  app.use(securityHeaders({ hsts: config.PUBLIC_ORIGIN?.startsWith("https:") ?? false }));
  app.use((req, res, next) => {
    const refusal = crossSiteRequestRefusal(req.method, req.headers, req.headers.host);
    if (refusal) {
      res.status(403).type("text/plain").send(refusal);
      return;
    }
    next();
  });

  // Browsers ask for /favicon.ico whatever the page links; the icon is an SVG.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (dev) {
    const vite = await import("vite");
    const viteServer = await vite.createServer({ server: { middlewareMode: true } });
    app.use(viteServer.middlewares);
    build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
    build = (await import(buildEntry)) as ServerBuild;
  }
  app.all(
    "*",
    remixHandler({
      build,
      mode: dev ? "development" : "production",
      getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
    }),
  );
  // Last resort: an error outside any route (Remix answers route errors itself). One log line with
  // the stack for the operator; the client gets no internals.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    console.error(`${req.method} ${req.path}:`, error);
    if (res.headersSent) return next(error);
    res.status(500).type("text/plain").send("服务器内部错误。\nInternal server error.\n");
  });

  // certificates: the public verification API is answered before Express and Remix (fast-path.server.ts).
  const certificateApi = certificateApiFastPath({ trustProxy, onError: (error) => console.error("verification API:", error) });
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer((req, res) => {
      // Malformed addresses are refused before either handler (the fast path included).
      const malformed = malformedUrlRefusal(req.url ?? "/");
      if (malformed) {
        res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" }).end(malformed);
        return;
      }
      if (!certificateApi(req, res)) app(req, res);
    });
    s.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${config.PORT} on ${config.HOST} is already in use: stop the other server or set PORT.`)
          : error,
      ),
    );
    s.listen(config.PORT, config.HOST, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  console.log(`\nCarbonLabel 碳标识认证平台 is running at ${url}`);
  console.log(
    `Database: ${database.embedded ? `embedded PostgreSQL (PGlite) in ${databaseConfigFromEnv().embeddedDir}` : "PostgreSQL at DATABASE_URL"}`,
  );
  if (wantDemo) {
    if (seeded) console.log("Demo data loaded into the empty database.");
    console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
    for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.padEnd(20)} ${account.email.padEnd(34)} ${account.organization}`);
  }
  // Outbox runner and scheduler (workflows/cases/background.ts); safe on several servers at once.
  const workers: CaseWorkers | null = config.BACKGROUND_JOBS === "off" ? null : startCaseWorkers(database.db, { mailer: mailerFromEnv() });
  console.log(workers ? "Background jobs: outbox runner every 2 s, scheduler every 60 s." : "Background jobs: off (BACKGROUND_JOBS=off).");
  console.log(`\nReady. Stop with Ctrl+C (SIGINT) or SIGTERM.\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: shutting down…`);
    // Force-close keep-alive connections so a browser tab cannot hold the process open.
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await workers?.stop();
    await flushVerificationLog();
    await closeDatabase();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch(async (error: unknown) => {
  // A configuration problem is the operator's to fix: say what, without a stack trace.
  console.error(error instanceof EnvironmentError ? error.message : error);
  await closeDatabase().catch(() => undefined);
  process.exit(1);
});
