/**
 * Who may do what, in one table. Every loader and action names the permission it needs at its
 * top (see requirePermission in auth.server.ts); the navigation is drawn from the same table, so a
 * link is shown exactly when its page would let the user in.
 *
 * Permissions are about kinds of action; which rows a user may touch is decided by tenant scoping
 * in the queries (an organization only ever sees its own records).
 */
import type { Role } from "../../db/schema.ts";

export const PERMISSIONS = {
  "dashboard:view": "all",
  "account:manage": "all",
  "organization:view:own": "all",
  "organization:edit:own": ["manufacturer_admin", "cb_admin"],
  "members:manage:own": ["manufacturer_admin", "cb_admin", "platform_admin"],
  "organizations:manage:any": ["platform_admin"],
  // factor dataset versions: import, compare, publish (docs/decisions/0018)
  "datasets:manage": ["platform_admin"],
  "footprint:calculate": "all",
  "product:read:own": ["manufacturer_admin", "manufacturer_member"],
  "product:write:own": ["manufacturer_admin", "manufacturer_member"],
  // certification pages: the machine and the server's duty checks decide which event a user may send
  "case:apply": ["manufacturer_admin", "manufacturer_member"],
  "case:read": ["manufacturer_admin", "manufacturer_member", "cb_admin", "cb_reviewer", "cb_inspector", "cb_verifier", "cb_decider"],
  "case:act": ["manufacturer_admin", "manufacturer_member", "cb_admin", "cb_reviewer", "cb_inspector", "cb_verifier", "cb_decider"],
  // the body's surveillance queue of certificates a new factor dataset version moves beyond tolerance
  "drift:read": ["cb_admin", "cb_reviewer", "cb_inspector", "cb_verifier", "cb_decider"],
  "notification:read": "all",
} as const satisfies Record<string, "all" | readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  const allowed: "all" | readonly Role[] = PERMISSIONS[permission];
  if (allowed === "all") return roles.length > 0;
  return roles.some((role) => allowed.includes(role));
}

/** The roles an organization of each kind may hand out. */
export const ROLES_BY_KIND = {
  manufacturer: ["manufacturer_admin", "manufacturer_member"],
  certification_body: ["cb_admin", "cb_reviewer", "cb_inspector", "cb_verifier", "cb_decider"],
  platform: ["platform_admin"],
} as const satisfies Record<string, readonly Role[]>;

export const ADMIN_ROLE_BY_KIND = {
  manufacturer: "manufacturer_admin",
  certification_body: "cb_admin",
  platform: "platform_admin",
} as const satisfies Record<string, Role>;
