/** Whom a case waits for (see app/services/cases/waiting.server.ts), as the words people read. */
import type { MessageKey } from "../../i18n/index.ts";

export type WaitingFor = "applicant" | "cb_admin" | "cb_reviewer" | "cb_inspector" | "cb_verifier" | "cb_decider" | "nobody" | "closed";

export const WAITING_KEYS: Record<WaitingFor, MessageKey> = {
  applicant: "case.waits.applicant",
  cb_admin: "case.waits.cb_admin",
  cb_reviewer: "case.waits.cb_reviewer",
  cb_inspector: "case.waits.cb_inspector",
  cb_verifier: "case.waits.cb_verifier",
  cb_decider: "case.waits.cb_decider",
  nobody: "case.waits.nobody",
  closed: "case.waits.closed",
};

/** The roles people act in on a case, as the words people read. */
export const ROLE_KEYS: Record<string, MessageKey> = {
  manufacturer_admin: "role.manufacturer_admin",
  manufacturer_member: "role.manufacturer_member",
  cb_admin: "role.cb_admin",
  cb_reviewer: "role.cb_reviewer",
  cb_inspector: "role.cb_inspector",
  cb_verifier: "role.cb_verifier",
  cb_decider: "role.cb_decider",
};
