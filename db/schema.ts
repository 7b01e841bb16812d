/**
 * Kysely's view of the database. `numeric` columns are `string` (see db/decimal.ts), timestamps
 * are `Date`, `date` columns are `YYYY-MM-DD` strings.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { DataQuality, InventoryLine, LineKind } from "../rules/calculator/schema.ts";
import type { Stage } from "../rules/stages.ts";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type OrganizationKind = "manufacturer" | "certification_body" | "platform";
export type Language = "zh-CN" | "en";
export const ROLES = [
  "manufacturer_admin",
  "manufacturer_member",
  "cb_admin",
  "cb_reviewer",
  "cb_inspector",
  "cb_verifier",
  "cb_decider",
  "platform_admin",
] as const;
export type Role = (typeof ROLES)[number];

export interface OrganizationsTable {
  id: Generated<string>;
  kind: OrganizationKind;
  name_zh: string;
  name_en: string;
  address: Generated<string>;
  province: string | null;
  credit_code: string | null;
  cnca_approval_number: string | null;
  cb_code: string | null;
  accredited_categories: Generated<string[]>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  preferred_language: Generated<Language>;
  password_hash: string | null;
  created_at: CreatedAt;
  password_changed_at: Timestamp | null;
  /** Set when an admin off-boards the person: no sign-in, no session; the row stays for the records that name them. */
  deactivated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface MembershipsTable {
  user_id: string;
  organization_id: string;
  roles: Role[];
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface InvitationsTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  name: string;
  roles: Role[];
  token_hash: string;
  invited_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The next free sign-in slot of a client address that has failed too often (app/utils/rate-limit.server.ts). */
export interface LoginThrottleTable {
  key: string;
  next_slot_at: Timestamp;
}

export interface AuthAttemptsTable {
  id: Generated<number>;
  bucket: string;
  succeeded: boolean;
  created_at: CreatedAt;
}

/** `numeric` columns: exact decimal strings; convert with db/decimal.ts. */
type Numeric = ColumnType<string, string, string>;

export interface ProductsTable {
  id: Generated<string>;
  organization_id: string;
  name_zh: string;
  name_en: string;
  model: Generated<string>;
  pcr_code: string;
  site_region: string;
  description: Generated<string>;
  gtin: string | null;
  internal_code: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface InventoriesTable {
  id: Generated<string>;
  organization_id: string;
  product_id: string;
  version: Generated<number>;
  previous_version_id: string | null;
  pcr_code: string;
  pcr_version: string;
  factor_dataset_id: string;
  factor_dataset_version: string;
  gwp_set: string;
  period_start: string;
  period_end: string;
  production_quantity: Numeric;
  production_unit: string;
  note: Generated<string>;
  locked_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/**
 * The members of a calculator line (rules/calculator/schema.ts) that have columns of their own;
 * everything else a line of that kind holds is in `details`. The types only say what a row is
 * meant to hold: a row becomes a calculator line by parsing (`parseStoredLine`), never by a cast.
 */
type LineColumnMembers = "id" | "kind" | "stage" | "dataType" | "dataQuality" | "note" | "excluded" | "amount" | "unit" | "factorCode";
/** What the registry held for a cited certificate when the line was saved (kept for the record, not calculated with). */
export interface CertificateRegistryRecord {
  verifiedValue: string;
  payloadSha256: string | null;
}
type CertificateLine = Extract<InventoryLine, { kind: "supplier_certificate" }>;
export type LineDetailsOf<K extends LineKind> = K extends "supplier_certificate"
  ? Omit<CertificateLine, LineColumnMembers | "certificate"> & {
      certificate: CertificateLine["certificate"] & { registry?: CertificateRegistryRecord };
    }
  : Omit<Extract<InventoryLine, { kind: K }>, LineColumnMembers>;
/** `details` of a line, by kind. */
export type StoredLineDetails = { [K in LineKind]: LineDetailsOf<K> }[LineKind];

export interface InventoryLinesTable {
  id: Generated<string>;
  inventory_id: string;
  position: number;
  stage: Stage;
  kind: LineKind;
  name: Generated<string>;
  amount: Numeric | null;
  unit: string | null;
  factor_code: string | null;
  data_type: "primary" | "secondary";
  data_quality: ColumnType<DataQuality | null, string | null, string | null>;
  excluded: Generated<boolean>;
  details: ColumnType<StoredLineDetails, string | undefined, string>;
  note: Generated<string>;
  /** inventory editor: the line this one was copied from, first ancestor (same for every version of a line). */
  origin_line_id: string | null;
  /** Raised by a trigger on every update: (id, revision) names one content of a line. */
  revision: Generated<number>;
}

/** A stored file: name, type, size, SHA-256 and bytes, who uploaded it and when. */
export interface StoredFileColumns {
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  created_at: CreatedAt;
}

export interface EvidenceFilesTable extends StoredFileColumns {
  id: Generated<string>;
  organization_id: string;
  inventory_line_id: string;
}

// ---- certification cases (cases, event log, outbox, notifications, credits, certificates, scheduler) ----

export type LabelTypeCode = "CF" | "LC" | "RC" | "CN";
/** jsonb: read back as parsed JSON, written as a JSON string (pg would turn a JS array into a SQL array). */
type Json<T> = ColumnType<T, string, string>;

export interface CasesTable {
  id: Generated<string>;
  number: Generated<number>;
  machine: string;
  machine_version: number;
  state: string;
  snapshot: Json<{ value: string; context: Record<string, unknown> }>;
  version: Generated<number>;
  label_type: LabelTypeCode;
  applicant_organization_id: string;
  cb_organization_id: string;
  product_id: string;
  inventory_id: string;
  renews_case_id: string | null;
  pcr_code: string;
  pcr_version: string;
  declared_value: Numeric;
  declared_unit_quantity: Numeric;
  declared_unit: string;
  product_name_zh: string;
  product_name_en: string;
  reviewer_id: string | null;
  inspector_id: string | null;
  verifier_id: string | null;
  decider_id: string | null;
  open_findings: Generated<number>;
  next_finding_due_on: string | null;
  certificate_issued_on: string | null;
  certificate_valid_until: string | null;
  surveillance_due_on: string | null;
  closed_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  /** The stored result the application rests on (null: opened before results were stored, or by a test host without an inventory). */
  result_id: string | null;
  /** Product and holder as submitted (workflows/cases/identity.ts); parsed, never cast. */
  identity: ColumnType<unknown, string | null | undefined, string | null>;
  /** Set for applications that duplicated an open one before one-open-application-per-inventory was enforced. */
  duplicate_application_of: string | null;
  /** When the applicant submitted; the body sees the case from then on. */
  submitted_at: Timestamp | null;
}

/**
 * A calculator result as an application locked it (ADR 0014): the total per declared unit, the
 * full result and conformance report, and the stamp (calculator, PCR and dataset versions with
 * their content hashes, GWP set, input hash). Never updated.
 */
export interface FootprintResultsTable {
  id: Generated<string>;
  inventory_id: string;
  organization_id: string;
  total: Numeric;
  calculator_version: string;
  input_sha256: string;
  stamp: Json<unknown>;
  result: Json<unknown>;
  conformance: Json<unknown>;
  created_at: CreatedAt;
}

/**
 * A factor dataset version the platform admin imported (docs/decisions/0018): the rules'
 * FactorDataset as JSON, a draft until published; a published row never changes (trigger) and
 * carries its content hash, which every result calculated on it cites.
 */
export interface FactorDatasetVersionsTable {
  id: Generated<string>;
  dataset_id: string;
  version: string;
  content: Json<unknown>;
  factor_count: number;
  status: "draft" | "published";
  content_sha256: string | null;
  file_name: string;
  file_sha256: string;
  imported_by: string;
  imported_at: CreatedAt;
  published_by: string | null;
  published_at: Timestamp | null;
}

/**
 * A valid certificate's locked inventory recalculated under a newly published dataset version,
 * beside (never replacing) the certified result: both totals, the change, the tolerance and the
 * lines that moved, or why it could not be recalculated. One per certificate and version.
 */
export interface DriftResultsTable {
  id: Generated<string>;
  certificate_id: string;
  footprint_result_id: string;
  cb_organization_id: string;
  holder_organization_id: string;
  dataset_id: string;
  dataset_version: string;
  dataset_sha256: string;
  stored_total: Numeric;
  recalculated_total: Numeric | null;
  relative_change: Numeric | null;
  tolerance: Numeric;
  beyond_tolerance: boolean;
  explanation: Json<unknown>;
  error: ColumnType<unknown, string | null | undefined, string | null>;
  calculator_version: string;
  computed_at: CreatedAt;
}

export interface CaseEventsTable {
  case_id: string;
  seq: number;
  event_type: string;
  actor_user_id: string | null;
  actor_system: string | null;
  actor_roles: string[];
  actor_organization_id: string | null;
  payload: Json<Record<string, unknown>>;
  state_before: string | null;
  state_after: string;
  snapshot_hash: string;
  at: Timestamp;
  recorded_at: Timestamp;
  prev_hash: string;
  hash: string;
}

export interface OutboxTable {
  id: Generated<number>;
  effect_type: string;
  case_id: string | null;
  payload: Json<Record<string, unknown>>;
  idempotency_key: string;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  created_at: CreatedAt;
  done_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_error: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  organization_id: string;
  topic: string;
  case_id: string | null;
  message_zh: string;
  message_en: string;
  source_key: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

export interface EmailLogTable {
  id: Generated<number>;
  idempotency_key: string;
  user_id: string | null;
  to_address: string;
  subject: string;
  body: string;
  transport: string;
  sent_at: CreatedAt;
}

export interface CreditRetirementsTable {
  id: Generated<string>;
  case_id: string;
  registry: string;
  programme: string;
  serial_prefix: string;
  /** int8range as text, e.g. "[1,601)". */
  serials: string;
  vintage: number;
  retired_on: string;
  created_at: CreatedAt;
}

export interface CertificateCountersTable {
  cb_organization_id: string;
  label_type: LabelTypeCode;
  year: number;
  last_number: number;
}

export type CertificateStatusCode = "valid" | "suspended" | "withdrawn" | "expired" | "superseded";

export interface CertificatesTable {
  id: Generated<string>;
  number: string;
  case_id: string;
  cb_organization_id: string;
  applicant_organization_id: string;
  product_id: string;
  label_type: LabelTypeCode;
  pcr_code: string;
  pcr_version: string;
  declared_unit_quantity: Numeric;
  declared_unit: string;
  verified_value: Numeric;
  grade: string | null;
  status: Generated<CertificateStatusCode>;
  status_reason: string | null;
  status_event_seq: number;
  status_changed_at: Generated<Date>;
  issued_on: string;
  valid_until: string;
  decided_by: string;
  created_at: CreatedAt;
  // certificates: signed content (all four or none; see migration 2026-11-21T14)
  /** RFC 8785 canonical JSON of the payload, exactly as signed. */
  payload: string | null;
  payload_sha256: string | null;
  key_id: string | null;
  /** base64url Ed25519 signature over `payload` (UTF-8). */
  signature: string | null;
  // identity as the certificate was issued with (the case's snapshot); the registry lists these
  product_name_zh: string;
  product_name_en: string;
  product_model: string;
  product_gtin: string | null;
  holder_name_zh: string;
  holder_name_en: string;
  holder_credit_code: string | null;
  /** The issued PDF, exactly as served, and its SHA-256 (both or neither). */
  pdf: Buffer | null;
  pdf_sha256: string | null;
}

// ---- certification pages: files given to a case (append-only) ----

export interface CaseAttachmentsTable extends StoredFileColumns {
  id: Generated<string>;
  case_id: string;
  organization_id: string;
  kind: "inventory_report" | "reduction_measures_report" | "management_plan" | "credit_retirement_proof" | "evidence";
  finding_id: string | null;
}

// ---- certificates: verification log and supply-chain flags ----

export type VerificationChannel = "page" | "api" | "upload";

export interface VerificationLogTable {
  id: Generated<number>;
  number: string;
  channel: VerificationChannel;
  result: string;
  checked_at: CreatedAt;
}

export interface SupplyChainFlagsTable {
  id: Generated<string>;
  certificate_id: string;
  certificate_number: string;
  certificate_status: "suspended" | "withdrawn" | "expired";
  inventory_id: string;
  case_id: string | null;
  organization_id: string;
  cb_organization_id: string | null;
  source_key: string;
  raised_at: Timestamp;
  resolved_at: Timestamp | null;
}

export interface ScheduledEventsTable {
  case_id: string;
  event_type: string;
  due_key: string;
  outcome: "sent" | "refused";
  emitted_at: Timestamp;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  auth_attempts: AuthAttemptsTable;
  login_throttle: LoginThrottleTable;
  products: ProductsTable;
  inventories: InventoriesTable;
  inventory_lines: InventoryLinesTable;
  evidence_files: EvidenceFilesTable;
  // certification cases
  cases: CasesTable;
  footprint_results: FootprintResultsTable;
  // factor dataset versions and the drift watch
  factor_dataset_versions: FactorDatasetVersionsTable;
  drift_results: DriftResultsTable;
  case_events: CaseEventsTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  email_log: EmailLogTable;
  credit_retirements: CreditRetirementsTable;
  certificate_counters: CertificateCountersTable;
  certificates: CertificatesTable;
  scheduled_events: ScheduledEventsTable;
  // certification pages
  case_attachments: CaseAttachmentsTable;
  // certificates: verification log and supply-chain flags
  verification_log: VerificationLogTable;
  supply_chain_flags: SupplyChainFlagsTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
export type User = Selectable<UsersTable>;
