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

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  auth_attempts: AuthAttemptsTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
export type User = Selectable<UsersTable>;
