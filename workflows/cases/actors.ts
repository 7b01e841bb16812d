/**
 * Who is acting, as the database knows them. A command names only the user (or the system
 * process); organization and roles are read from the memberships table inside the command's
 * transaction, so nothing the caller claims about itself is trusted.
 */
import { SYSTEM_ROLE, type Actor } from "../certification/types.ts";
import { membershipOfUser } from "../../db/repositories/case-people.ts";
import type { Executor } from "../../db/repositories/executor.ts";
import { SYSTEM_ORGANIZATION } from "./chain.ts";
import { isUuid } from "../../db/uuid.ts";

/** A person (their session's user id) or a background process of the platform. */
export type CommandActor = { readonly userId: string } | { readonly system: "scheduler" | "host" };

export const SCHEDULER: CommandActor = { system: "scheduler" };
export const HOST: CommandActor = { system: "host" };

/** The actor as the machine sees it, plus what the event log stores about them. */
export interface ResolvedActor {
  readonly machine: Actor;
  readonly userId: string | null;
  readonly system: string | null;
  readonly organizationId: string | null;
  readonly roles: readonly string[];
}

export function isSystem(actor: CommandActor): actor is { readonly system: "scheduler" | "host" } {
  return "system" in actor;
}

// The host's modules take the one id check (db/uuid.ts) from here, beside the actors it checks.
export { isUuid };

/** The member's organization and roles, or null for an unknown user or one without a membership. */
export async function resolveActor(db: Executor, actor: CommandActor): Promise<ResolvedActor | null> {
  if (isSystem(actor)) {
    return {
      machine: { userId: `system:${actor.system}`, roles: [SYSTEM_ROLE], organizationId: SYSTEM_ORGANIZATION },
      userId: null,
      system: actor.system,
      organizationId: null,
      roles: [SYSTEM_ROLE],
    };
  }
  if (!isUuid(actor.userId)) return null;
  const m = await membershipOfUser(db, actor.userId);
  if (!m) return null;
  return {
    machine: { userId: actor.userId, roles: m.roles, organizationId: m.organization_id },
    userId: actor.userId,
    system: null,
    organizationId: m.organization_id,
    roles: m.roles,
  };
}
