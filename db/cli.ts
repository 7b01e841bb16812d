/**
 * `npm run db:migrate` and `npm run db:seed`: the same database the app would open (DATABASE_URL,
 * or the embedded one under DATA_DIR).
 */
import { openDatabase } from "./client.ts";
import { databaseConfigFromEnv } from "./config.ts";
import { migrateToLatest } from "./migrate.ts";
import { seedDemoData } from "./seed/demo.ts";

const command = process.argv[2];

async function main() {
  if (command !== "migrate" && command !== "seed") {
    console.error("usage: tsx db/cli.ts migrate|seed");
    process.exit(2);
  }
  const database = await openDatabase(databaseConfigFromEnv());
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Schema is up to date.");
    if (command === "seed") {
      const wrote = await seedDemoData(database.db);
      console.log(wrote ? "Demo data loaded." : "Demo data already present: nothing changed.");
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
