/**
 * Crash test of issuing. A child process runs the outbox runner with the certificate issuer
 * against this file's database (real PostgreSQL with TEST_DATABASE_URL, else the embedded one,
 * which the child reaches through its socket like any client) and is killed with SIGKILL at
 * random points — half the trials just after it starts signing a certificate, inside the
 * transaction that drew the number — then restarted, at least 20 times, with newly granted cases
 * arriving between trials. Afterwards: every granted case has exactly one certificate, numbers are
 * unique and gap-free per body, label type and year, the counter agrees, and every certificate's
 * stored signature verifies and its payload hash matches.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { setCertificateIssuer } from "../../workflows/certificates/issuer.ts";
import { drainOutbox, MemoryMailer } from "../../workflows/cases/index.ts";
import { getDatabase } from "../../db/client.ts";
import { environmentKeyStore } from "../../workflows/certificates/keys.ts";
import { appCertificateIssuer } from "../../app/services/certificates/issuer.server.ts";
import { useKeyStore } from "../../app/services/certificates/keys.server.ts";
import { verifyNumber } from "../../app/services/certificates/verify.server.ts";
import { send, toDecision, world, type World } from "../workflows/cases-support.ts";
import { openCase } from "../routes/cases-support.ts";

const root = path.resolve(import.meta.dirname, "../..");
const TRIALS = 24;
const LEASE_MS = 300;
const keysJson = JSON.stringify({
  CCDC: [{ validFrom: "2000-01-01", privateKey: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() }],
});

let w: World;
const granted: string[] = [];

async function grantOne(i: number): Promise<void> {
  const { caseId } = await openCase(`crash-${i}`);
  await toDecision(w, caseId, 230 + (i % 17));
  await send(w, caseId, "decider", { type: "GRANT" });
  granted.push(caseId);
}

interface Trial {
  readonly midIssue: boolean;
  readonly signedBeforeKill: number;
}

/** One run of the issuing process, killed when `when` says so. */
async function trial(connectionString: string, when: "random" | "in-signature"): Promise<Trial> {
  const parentEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST"))) as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, ["--import", "tsx", "test/certificates/support/issuing-worker.ts"], {
    cwd: root,
    env: { ...parentEnv, DATABASE_URL: connectionString, CARBONLABEL_SIGNING_KEYS: keysJson, LEASE_MS: String(LEASE_MS) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let errors = "";
  let buffer = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const kill = () => child.kill("SIGKILL");
  const waitFor = (predicate: () => boolean, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const started = Date.now();
      const tick = () => (predicate() ? resolve(true) : Date.now() - started > timeoutMs ? resolve(false) : setTimeout(tick, 1));
      tick();
    });
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));

  if (!(await waitFor(() => lines.includes("ready"), 60_000))) {
    kill();
    throw new Error(`the issuing process did not start:\n${errors}`);
  }
  if (when === "in-signature") {
    // Kill right after the k-th signature began: the number is drawn, the row not yet committed.
    const k = 1 + Math.floor(Math.random() * 2);
    await waitFor(() => lines.filter((l) => l.startsWith("sign:start")).length >= k, 5_000);
    kill();
  } else {
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    kill();
  }
  const code = await exited;
  expect(code, errors).toBe(null); // killed, not crashed on its own
  const last = lines.filter((l) => l.startsWith("sign:")).at(-1) ?? "";
  return { midIssue: last.startsWith("sign:start"), signedBeforeKill: lines.filter((l) => l.startsWith("sign:end")).length };
}

beforeAll(async () => {
  useKeyStore(environmentKeyStore(keysJson));
  w = await world();
  // Earlier rows of this database are delivered first, so the trials only issue.
  await drainOutbox(w.db, { mailer: new MemoryMailer() });
  for (let i = 0; i < 12; i++) await grantOne(i);
}, 240_000);

describe("issuing survives being killed at any point", () => {
  it(`${TRIALS} SIGKILLed runs of the issuing process, then exactly one certificate per granted case, gap-free numbers, valid signatures`, async () => {
    const { connectionString } = await getDatabase();
    const trials: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) {
      trials.push(await trial(connectionString, i % 2 === 0 ? "in-signature" : "random"));
      // New grants keep arriving while the issuer keeps dying.
      if (i % 2 === 1) await grantOne(100 + i);
    }
    // A last, uninterrupted run once the dead runners' leases have run out.
    await new Promise((r) => setTimeout(r, LEASE_MS + 50));
    setCertificateIssuer(appCertificateIssuer());
    for (let round = 0; round < 5; round++) {
      await drainOutbox(w.db, { mailer: new MemoryMailer() });
      const pending = await w.db
        .selectFrom("outbox")
        .select("id")
        .where("effect_type", "=", "effect.issue_certificate")
        .where("done_at", "is", null)
        .execute();
      if (pending.length === 0) break;
      await new Promise((r) => setTimeout(r, LEASE_MS + 50));
    }
    setCertificateIssuer(null);

    const killedMidIssue = trials.filter((t) => t.midIssue).length;
    console.log(
      `${TRIALS} kills, ${killedMidIssue} inside a signature's transaction; ${trials.reduce((n, t) => n + t.signedBeforeKill, 0)} signatures finished before kills; ${granted.length} granted cases`,
    );
    expect(killedMidIssue).toBeGreaterThanOrEqual(TRIALS / 4);

    const certificates = await w.db
      .selectFrom("certificates")
      .select(["case_id", "number", "payload", "payload_sha256", "signature"])
      .where("case_id", "in", granted)
      .execute();
    // Exactly one per granted case.
    expect(certificates.map((c) => c.case_id).sort()).toEqual([...granted].sort());
    // No duplicate numbers and no gaps: every CF number of the year from 1 to the counter.
    const all = await w.db.selectFrom("certificates").select("number").where("number", "like", "CCDC-CF-%").execute();
    const byYear = new Map<string, number[]>();
    for (const { number } of all) {
      const [, , year, seq] = number.split("-");
      byYear.set(year!, [...(byYear.get(year!) ?? []), Number(seq)]);
    }
    for (const [year, seqs] of byYear) {
      const sorted = [...seqs].sort((a, b) => a - b);
      expect(sorted, `CCDC-CF-${year}`).toEqual(sorted.map((_, i) => i + 1));
      const counter = await w.db
        .selectFrom("certificate_counters")
        .innerJoin("organizations", "organizations.id", "certificate_counters.cb_organization_id")
        .select("last_number")
        .where("organizations.cb_code", "=", "CCDC")
        .where("label_type", "=", "CF")
        .where("year", "=", Number(year))
        .executeTakeFirstOrThrow();
      expect(counter.last_number).toBe(sorted.length);
    }
    // Every certificate is whole: signed content present, its hash and signature verify.
    for (const c of certificates) {
      expect(c.payload && c.signature && c.payload_sha256).toBeTruthy();
      const report = await verifyNumber(w.db, c.number);
      expect(report.verdict, c.number).toBe("valid");
    }
  }, 600_000);
});
