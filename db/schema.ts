/**
 * Kysely's view of the database. `numeric` columns are `string` (see db/decimal.ts), timestamps
 * are `Date`, `date` columns are `YYYY-MM-DD` strings.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

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

export interface InventoryLinesTable {
  id: Generated<string>;
  inventory_id: string;
  position: number;
  stage: string;
  kind: string;
  name: Generated<string>;
  amount: Numeric | null;
  unit: string | null;
  factor_code: string | null;
  data_type: "primary" | "secondary";
  data_quality: ColumnType<Record<string, number> | null, string | null, string | null>;
  excluded: Generated<boolean>;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  note: Generated<string>;
}

export interface EvidenceFilesTable {
  id: Generated<string>;
  organization_id: string;
  inventory_line_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  created_at: CreatedAt;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  auth_attempts: AuthAttemptsTable;
  products: ProductsTable;
  inventories: InventoriesTable;
  inventory_lines: InventoryLinesTable;
  evidence_files: EvidenceFilesTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
export type User = Selectable<UsersTable>;
