/**
 * Whom a case waits for, read from the tags its state carries in the statechart, so the inbox,
 * the dashboard and the case page say the same thing the machine means.
 */
import type { CertificationTag } from "../../../workflows/certification/types.ts";
import type { WaitingFor } from "../../components/cases/waiting.ts";

export type { WaitingFor };

export function waitingFor(tags: readonly CertificationTag[]): WaitingFor {
  if (tags.includes("final")) return "closed";
  if (tags.includes("applicant_action")) return "applicant";
  const role = tags.find((t): t is `role:${Exclude<WaitingFor, "applicant" | "nobody" | "closed">}` => t.startsWith("role:"));
  if (role) return role.slice("role:".length) as WaitingFor;
  return "nobody";
}
