/**
 * Every migration, in order, listed by hand: a bundler cannot drop one and a folder scan cannot
 * pick up a stray file. Names are timestamps; never rename or edit one that has shipped.
 */
import type { Migration, MigrationProvider } from "kysely";
import * as accounts from "./2026-11-21T09-accounts.ts";
import * as productsInventories from "./2026-11-21T10-products-inventories.ts";
// certification cases
import * as certification from "./2026-11-21T11-certification.ts";
// inventory editor: line identity across versions, evidence limits
import * as inventoryEvidence from "./2026-11-21T12-inventory-evidence.ts";
// certification pages: files given to a case (documents, finding answers)
import * as caseAttachments from "./2026-11-21T13-case-attachments.ts";
// certificates: signed payloads, verification log, supply-chain flags
import * as certificateSigning from "./2026-11-21T14-certificate-signing.ts";
// calculator input cache: a line's (id, revision) names its content
import * as lineRevisions from "./2026-11-21T15-line-revisions.ts";
// off-boarding: deactivated users, revoked invitations, sign-in throttle per address
import * as accountOffboarding from "./2026-12-06T10-account-offboarding.ts";
// the certified record: stored results, identity snapshots, one open application per inventory, issued PDFs
import * as certifiedRecord from "./2026-12-07T10-certified-record.ts";
// factor dataset versions imported and published by the platform admin, and the drift watch's results
import * as factorDatasetVersions from "./2026-12-10T10-factor-dataset-versions.ts";

export const migrations: Record<string, Migration> = {
  "2026-11-21T09-accounts": accounts,
  "2026-11-21T10-products-inventories": productsInventories,
  "2026-11-21T11-certification": certification,
  "2026-11-21T12-inventory-evidence": inventoryEvidence,
  "2026-11-21T13-case-attachments": caseAttachments,
  "2026-11-21T14-certificate-signing": certificateSigning,
  "2026-11-21T15-line-revisions": lineRevisions,
  "2026-12-06T10-account-offboarding": accountOffboarding,
  "2026-12-07T10-certified-record": certifiedRecord,
  "2026-12-10T10-factor-dataset-versions": factorDatasetVersions,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
