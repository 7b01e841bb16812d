/**
 * The issuing process of the crash test (test/certificates/crash-issuance.test.ts): the outbox
 * runner with the app's certificate issuer, against DATABASE_URL, looping until it is killed.
 * It says `ready` once connected and `sign:start <number>` / `sign:end <number>` around each
 * signature (stdout to a pipe is synchronous on Linux, so the parent sees every line written
 * before the kill), so the parent can kill it in the middle of an issue.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { CertificateIssuer } from "../../../workflows/certificates/issuer.ts";
import { NoMailer } from "../../../workflows/cases/mailer.ts";
import { runOutboxOnce } from "../../../workflows/cases/outbox.ts";
import { connect } from "../../../db/client.ts";
import { environmentKeyStore } from "../../../workflows/certificates/keys.ts";
import { appCertificateIssuer } from "../../../app/services/certificates/issuer.server.ts";

const url = process.env.DATABASE_URL;
const keysJson = process.env.CARBONLABEL_SIGNING_KEYS;
if (!url || !keysJson) throw new Error("DATABASE_URL and CARBONLABEL_SIGNING_KEYS are required");
const keys = environmentKeyStore(keysJson);
const issuer = appCertificateIssuer(() => keys);
const traced: CertificateIssuer = {
  async sign(trx, certificate) {
    process.stdout.write(`sign:start ${certificate.number}\n`);
    const signed = await issuer.sign(trx, certificate);
    process.stdout.write(`sign:end ${certificate.number}\n`);
    return signed;
  },
};

const database = connect(url, { poolSize: 2, queryTimeoutMs: 30_000 });
await database.db.selectFrom("outbox").select("id").limit(1).execute();
process.stdout.write("ready\n");
const mailer = new NoMailer();
for (;;) {
  const run = await runOutboxOnce(database.db, { mailer, batchSize: 2, leaseMs: Number(process.env.LEASE_MS ?? 300), issuer: traced });
  if (run.claimed === 0) await sleep(20);
}
