/** The navigation per role, derived from the permission table so links and access never disagree. */
import type { Role } from "../../db/schema.ts";
import type { MessageKey } from "../i18n/index.ts";
import { rolesGrant, type Permission } from "./permissions.ts";

export interface NavItem {
  to: string;
  label: MessageKey;
}

const ITEMS: ReadonlyArray<NavItem & { permission: Permission }> = [
  { to: "/dashboard", label: "nav.dashboard", permission: "dashboard:view" },
  { to: "/products", label: "nav.products", permission: "product:read:own" },
  // Public, but part of a manufacturer's work (picking factors), so in its navigation as well as the header.
  { to: "/factors", label: "nav.factors", permission: "product:read:own" },
  // certification pages
  { to: "/cases", label: "nav.cases", permission: "case:read" },
  { to: "/cases/drift", label: "nav.drift", permission: "drift:read" },
  { to: "/admin/organizations", label: "nav.organizations", permission: "organizations:manage:any" },
  { to: "/admin/datasets", label: "nav.datasets", permission: "datasets:manage" },
  { to: "/org/profile", label: "nav.organization", permission: "organization:edit:own" },
  { to: "/org/members", label: "nav.members", permission: "members:manage:own" },
  { to: "/account", label: "nav.account", permission: "account:manage" },
];

export function navigationFor(roles: readonly Role[]): NavItem[] {
  return ITEMS.filter((item) => rolesGrant(roles, item.permission)).map(({ to, label }) => ({ to, label }));
}
