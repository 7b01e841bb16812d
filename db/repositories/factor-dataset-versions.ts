/**
 * Table `factor_dataset_versions`: factor dataset versions the platform admin imported, drafts and
 * published ones (docs/decisions/0018). A published row never changes and is never deleted (the
 * database refuses both); a draft may be published once or discarded.
 */
import type { Executor } from "./executor.ts";

export interface NewDatasetDraft {
  readonly datasetId: string;
  readonly version: string;
  /** The FactorDataset as parsed by the rules' schema. */
  readonly content: unknown;
  readonly factorCount: number;
  readonly fileName: string;
  readonly fileSha256: string;
  readonly importedBy: string;
}

/** Stores a draft; undefined when a version with this id and number exists already (nothing is written then). */
export async function insertDatasetDraft(db: Executor, draft: NewDatasetDraft): Promise<string | undefined> {
  const row = await db
    .insertInto("factor_dataset_versions")
    .values({
      dataset_id: draft.datasetId,
      version: draft.version,
      content: JSON.stringify(draft.content),
      factor_count: draft.factorCount,
      status: "draft",
      file_name: draft.fileName,
      file_sha256: draft.fileSha256,
      imported_by: draft.importedBy,
    })
    .onConflict((oc) => oc.constraint("factor_dataset_versions_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

/** Every stored version without its content, newest import first, with who imported and published it. */
export function datasetVersionRows(db: Executor) {
  return db
    .selectFrom("factor_dataset_versions as v")
    .innerJoin("users as importer", "importer.id", "v.imported_by")
    .leftJoin("users as publisher", "publisher.id", "v.published_by")
    .select([
      "v.id",
      "v.dataset_id",
      "v.version",
      "v.status",
      "v.factor_count",
      "v.content_sha256",
      "v.file_name",
      "v.file_sha256",
      "v.imported_at",
      "v.published_at",
      "importer.name as imported_by_name",
      "publisher.name as published_by_name",
    ])
    .orderBy("v.imported_at", "desc")
    .orderBy("v.id")
    .execute();
}

/** The published versions' keys and hashes, in the order they were published (a version's includes come before it). */
export function publishedDatasetKeys(db: Executor) {
  return db
    .selectFrom("factor_dataset_versions")
    .select(["dataset_id", "version", "content_sha256"])
    .where("status", "=", "published")
    .orderBy("published_at")
    .orderBy("id")
    .execute();
}

/** The published versions with their content, in the order they were published. */
export function publishedDatasetContents(db: Executor) {
  return db
    .selectFrom("factor_dataset_versions")
    .select(["dataset_id", "version", "content_sha256", "content"])
    .where("status", "=", "published")
    .orderBy("published_at")
    .orderBy("id")
    .execute();
}

/** One stored version with its content; undefined when none. */
export function findDatasetVersion(db: Executor, datasetId: string, version: string) {
  return db
    .selectFrom("factor_dataset_versions as v")
    .innerJoin("users as importer", "importer.id", "v.imported_by")
    .leftJoin("users as publisher", "publisher.id", "v.published_by")
    .select([
      "v.id",
      "v.dataset_id",
      "v.version",
      "v.status",
      "v.content",
      "v.factor_count",
      "v.content_sha256",
      "v.file_name",
      "v.file_sha256",
      "v.imported_at",
      "v.published_at",
      "importer.name as imported_by_name",
      "publisher.name as published_by_name",
    ])
    .where("v.dataset_id", "=", datasetId)
    .where("v.version", "=", version)
    .executeTakeFirst();
}

/** The version's row locked for the rest of the transaction (publishing and discarding take it first). */
export function lockDatasetVersion(db: Executor, datasetId: string, version: string) {
  return db
    .selectFrom("factor_dataset_versions")
    .select(["id", "status", "content"])
    .where("dataset_id", "=", datasetId)
    .where("version", "=", version)
    .forUpdate()
    .executeTakeFirst();
}

/** Publishes a draft: its content hash, the time and the publisher; from then on the row is immutable. */
export async function markDatasetPublished(db: Executor, id: string, published: { sha256: string; by: string; at: Date }): Promise<void> {
  await db
    .updateTable("factor_dataset_versions")
    .set({ status: "published", content_sha256: published.sha256, published_by: published.by, published_at: published.at })
    .where("id", "=", id)
    .where("status", "=", "draft")
    .executeTakeFirstOrThrow();
}

/** Deletes a draft; false when there is no draft of that key (a published version cannot be deleted). */
export async function deleteDatasetDraft(db: Executor, datasetId: string, version: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom("factor_dataset_versions")
    .where("dataset_id", "=", datasetId)
    .where("version", "=", version)
    .where("status", "=", "draft")
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
