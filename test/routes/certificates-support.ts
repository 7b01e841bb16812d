/**
 * Certificates for the route tests: keys held in memory (valid from 2000, so any test date can
 * be signed), the app's issuer registered for the outbox, and certificates issued the real way —
 * a case on a calculable inventory driven to GRANT, then the outbox run.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { drainOutbox, MemoryMailer } from "../../workflows/cases/index.ts";
import { setCertificateIssuer } from "../../workflows/certificates/issuer.ts";
import { getDb } from "../../db/client.ts";
import { appCertificateIssuer } from "../../app/services/certificates/issuer.server.ts";
import { memoryKeyStore, useKeyStore } from "../../app/services/certificates/keys.server.ts";
import { clearCertificateApiCache } from "../../app/services/certificates/api.server.ts";
import { resetVerifyRateLimits } from "../../app/services/certificates/rate-limit.server.ts";
import { flushVerificationLog } from "../../app/services/certificates/verification-log.server.ts";
import { send, toDecision, world, type World } from "../workflows/cases-support.ts";
import { openCase } from "./cases-support.ts";

/** Fresh in-memory keys and the app's issuer, for this test file. */
export function useTestSigning(): void {
  useKeyStore(memoryKeyStore("2000-01-01"));
  setCertificateIssuer(appCertificateIssuer());
  resetVerifyRateLimits();
  clearCertificateApiCache();
}

export async function runOutbox(): Promise<void> {
  await drainOutbox(await getDb(), { mailer: new MemoryMailer() });
}

/** A case granted on a fresh passing cement inventory and its certificate issued; returns both. */
export async function issuedCertificate(
  note: string,
  options: { labelType?: "CF" | "LC"; at?: string; verified?: number } = {},
): Promise<{ w: World; caseId: string; inventoryId: string; number: string }> {
  const w = await world();
  const { caseId, inventoryId } = await openCase(note, options.labelType ?? "CF");
  await toDecision(w, caseId, options.verified ?? 237.3, options.at);
  await send(w, caseId, "decider", { type: "GRANT" }, { at: options.at });
  await runOutbox();
  const row = await w.db.selectFrom("certificates").select("number").where("case_id", "=", caseId).executeTakeFirstOrThrow();
  return { w, caseId, inventoryId, number: row.number };
}

/** Calls a loader the way Remix does and returns its Response (or the data it returned). */
export async function callLoader(
  loader: (args: LoaderFunctionArgs) => unknown,
  url: string,
  options: { params?: Record<string, string>; headers?: Record<string, string>; client?: string } = {},
): Promise<Response> {
  const request = new Request(new URL(url, "http://localhost"), { headers: options.headers });
  try {
    const result = await loader({ request, params: options.params ?? {}, context: { clientIp: options.client ?? "198.51.100.7" } });
    if (result instanceof Response) return result;
    const withInit = result as { data?: unknown; init?: { status?: number; headers?: HeadersInit } | null };
    if (withInit && typeof withInit === "object" && "data" in withInit && "init" in withInit) {
      return new Response(JSON.stringify(withInit.data), { status: withInit.init?.status ?? 200, headers: withInit.init?.headers });
    }
    return new Response(JSON.stringify(result), { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The verification log as the database holds it (after writing what is waiting). */
export async function verificationLog() {
  await flushVerificationLog();
  const db = await getDb();
  return db.selectFrom("verification_log").selectAll().orderBy("id").execute();
}
