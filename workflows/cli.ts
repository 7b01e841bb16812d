/**
 * `npm run db:migrate`, `npm run db:seed` (through app/seed.ts, which adds the signer) and
 * `npm run cases:verify-chain`: the same database the
 * app would open (DATABASE_URL, or the embedded one under DATA_DIR).
 */
import { verifyChains } from "./cases/chain.ts";
import { openDatabase } from "../db/client.ts";
import { databaseConfigFromEnv } from "../db/config.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { seedDemoData } from "./demo/demo.ts";

const command = process.argv[2];

async function main() {
  if (command !== "migrate" && command !== "seed" && command !== "verify-chain") {
    console.error("usage: tsx workflows/cli.ts migrate|seed|verify-chain");
    process.exit(2);
  }
  const database = await openDatabase(databaseConfigFromEnv());
  try {
    if (command !== "verify-chain") {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Schema is up to date.");
    }
    if (command === "seed") {
      const wrote = await seedDemoData(database.db, { cases: true });
      console.log(wrote ? "Demo data loaded." : "Demo data already present: nothing changed.");
    }
    if (command === "verify-chain") {
      // Every case's event log: chain links, entry hashes, and the snapshot the log replays to.
      const report = await verifyChains(database.db);
      for (const f of report.findings) console.error(`case ${f.caseId}${f.seq === null ? "" : ` entry ${f.seq}`}: ${f.problem} — ${f.detail}`);
      console.log(
        `${report.cases} case(s), ${report.events} event(s): ${report.ok ? "every hash chain verifies" : `${report.findings.length} problem(s)`}`,
      );
      if (!report.ok) process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
