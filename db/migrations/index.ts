/**
 * Every migration, in order, listed by hand: a bundler cannot drop one and a folder scan cannot
 * pick up a stray file. Names are timestamps; never rename or edit one that has shipped.
 */
import type { Migration, MigrationProvider } from "kysely";
import * as accounts from "./2026-11-21T09-accounts.ts";
import * as productsInventories from "./2026-11-21T10-products-inventories.ts";

export const migrations: Record<string, Migration> = {
  "2026-11-21T09-accounts": accounts,
  "2026-11-21T10-products-inventories": productsInventories,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
