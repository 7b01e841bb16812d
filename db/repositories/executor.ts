/**
 * What every repository function takes: the process's Kysely instance or an open transaction. The
 * caller decides the transaction's extent (a case event writes snapshot, log and outbox in one);
 * a repository never opens one of its own unless its doc comment says so.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../schema.ts";

export type Executor = Kysely<DB> | Transaction<DB>;
