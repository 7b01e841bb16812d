/**
 * The certification part of the dashboard. A manufacturer sees its open applications and whom
 * each waits for, its valid labels with their expiry dates, and the findings it must answer. A
 * certification body user sees, for each role they hold, how many cases wait for that role, state
 * by state, and how many open cases they are assigned to: submitted cases only, since a draft is
 * the applicant's (the counts come from the same visibility rule as the inbox).
 */
import type { Kysely } from "kysely";
import { caseReference, LABEL_NAMES, restoreCase } from "../../../workflows/cases/index.ts";
import type { DB, Role } from "../../../db/schema.ts";
import { casesAwaitingApplicant, countAssignedOpenCases, openApplicationsOf } from "../../../db/repositories/case-lists.ts";
import { validCertificatesOfHolder } from "../../../db/repositories/certificates.ts";
import { STATE_LABELS, STATE_TAGS, type CertificationState } from "../../../workflows/certification/presentation.ts";
import { CB_ROLES } from "../../../workflows/certification/types.ts";
import { countByState, statesWaitingFor } from "./inbox.server.ts";
import { waitingFor } from "./waiting.server.ts";
import { driftQueueCount } from "../drift-queue.server.ts";

const CERTIFIED: readonly string[] = ["issued", "surveillance", "suspended"];

async function manufacturerSummary(db: Kysely<DB>, organizationId: string) {
  const open = await openApplicationsOf(db, organizationId, CERTIFIED);
  const labels = await validCertificatesOfHolder(db, organizationId);
  const waiting = await casesAwaitingApplicant(db, organizationId);
  const findings = waiting.flatMap((c) =>
    restoreCase(c)
      .snapshot.context.findings.filter((f) => f.status === "open")
      .map((f) => ({
        caseId: c.id,
        reference: caseReference(c.number),
        product: { zh: c.product_name_zh, en: c.product_name_en },
        id: f.id,
        severity: f.severity,
        dueOn: f.dueOn,
        overdue: f.overdue,
      })),
  );
  return {
    side: "applicant" as const,
    open: open.map((c) => ({
      id: c.id,
      reference: caseReference(c.number),
      product: { zh: c.product_name_zh, en: c.product_name_en },
      label: LABEL_NAMES[c.label_type],
      stateLabel: STATE_LABELS[c.state as CertificationState],
      waitingFor: waitingFor(STATE_TAGS[c.state as CertificationState] ?? []),
      openFindings: c.open_findings,
    })),
    labels: labels.map((l) => ({
      number: l.number,
      caseId: l.case_id,
      label: LABEL_NAMES[l.label_type],
      product: { zh: l.name_zh, en: l.name_en },
      validUntil: l.valid_until,
    })),
    findings,
  };
}

async function bodySummary(db: Kysely<DB>, organizationId: string, userId: string, roles: readonly Role[]) {
  const byState = await countByState(db, organizationId);
  const myRoles = CB_ROLES.filter((r) => roles.includes(r));
  const assigned = await countAssignedOpenCases(db, organizationId, userId);
  return {
    side: "cb" as const,
    roles: myRoles.map((role) => ({
      role,
      states: statesWaitingFor(role).map((state) => ({ state, label: STATE_LABELS[state], count: byState[state] ?? 0 })),
    })),
    assigned,
    // Surveillance: valid certificates a newly published factor dataset version moves beyond tolerance (/cases/drift).
    drift: await driftQueueCount(db, organizationId),
  };
}

export async function caseDashboard(db: Kysely<DB>, user: { id: string; organizationId: string; kind: string; roles: readonly Role[] }) {
  if (user.kind === "manufacturer") return manufacturerSummary(db, user.organizationId);
  if (user.kind === "certification_body") return bodySummary(db, user.organizationId, user.id, user.roles);
  return null;
}
export type CaseDashboard = NonNullable<Awaited<ReturnType<typeof caseDashboard>>>;
