/**
 * Supply-chain links: an inventory line of kind `supplier_certificate` cites a supplier's
 * certificate by number. When a certificate of the registry is suspended, withdrawn or expires,
 * every inventory citing it is flagged for its owner, and every open case resting on such an
 * inventory is flagged for the applicant and the case's certification body; each hears of it once
 * (in-app and by e-mail). Restoring the certificate resolves its open flags.
 *
 * Runs inside the transaction of the status effect, keyed by that outbox row: a retry adds nothing.
 */
import type { Transaction } from "kysely";
import { writeNotifications } from "../cases/notifications.ts";
import type { DB } from "../../db/schema.ts";
import { openCasesOnInventories } from "../../db/repositories/cases.ts";
import { membersWithAnyRole } from "../../db/repositories/notifications.ts";
import { insertSupplyChainFlagsOnce, inventoriesCitingCertificate, resolveFlagsOfCertificate } from "../../db/repositories/supply-chain.ts";

export const FLAGGED_STATUSES = ["suspended", "withdrawn", "expired"] as const;
export type FlaggedStatus = (typeof FLAGGED_STATUSES)[number];

export function isFlaggedStatus(status: string): status is FlaggedStatus {
  return (FLAGGED_STATUSES as readonly string[]).includes(status);
}

const STATUS_WORDS: Readonly<Record<FlaggedStatus, { zh: string; en: string }>> = {
  suspended: { zh: "暂停", en: "suspended" },
  withdrawn: { zh: "撤销", en: "withdrawn" },
  expired: { zh: "到期失效", en: "expired" },
};

export interface CitedCertificate {
  readonly certificateId: string;
  readonly number: string;
  readonly status: FlaggedStatus;
  /** Idempotency key of the outbox row that changed the status. */
  readonly sourceKey: string;
  readonly now: Date;
}

export interface FlagCount {
  readonly inventories: number;
  readonly cases: number;
}

/** Inventories whose lines cite `number` (any version: each is a record its owner may still use). */
export async function inventoriesCiting(trx: Transaction<DB>, number: string) {
  return inventoriesCitingCertificate(trx, number);
}

export async function flagCitingRecords(trx: Transaction<DB>, cited: CitedCertificate): Promise<FlagCount> {
  const inventories = await inventoriesCiting(trx, cited.number);
  if (inventories.length === 0) return { inventories: 0, cases: 0 };
  const cases = await openCasesOnInventories(
    trx,
    inventories.map((i) => i.id),
  );
  const base = {
    certificate_id: cited.certificateId,
    certificate_number: cited.number,
    certificate_status: cited.status,
    source_key: cited.sourceKey,
    raised_at: cited.now,
  };
  await insertSupplyChainFlagsOnce(trx, [
    ...inventories.map((i) => ({ ...base, inventory_id: i.id, case_id: null, organization_id: i.organization_id, cb_organization_id: null })),
    ...cases.map((c) => ({
      ...base,
      inventory_id: c.inventory_id,
      case_id: c.id,
      organization_id: c.applicant_organization_id,
      cb_organization_id: c.cb_organization_id,
    })),
  ]);

  const word = STATUS_WORDS[cited.status];
  // Owners: one message per organization, counting its inventories and cases.
  const owners = new Map<string, { inventories: number; cases: number }>();
  for (const i of inventories) owners.set(i.organization_id, { inventories: (owners.get(i.organization_id)?.inventories ?? 0) + 1, cases: 0 });
  for (const c of cases) {
    const o = owners.get(c.applicant_organization_id) ?? { inventories: 0, cases: 0 };
    owners.set(c.applicant_organization_id, { ...o, cases: o.cases + 1 });
  }
  for (const [organizationId, n] of owners) {
    await notifyOrganization(trx, cited, {
      organizationId,
      roles: ["manufacturer_admin", "manufacturer_member"],
      caseId: null,
      key: `owner:${organizationId}`,
      zh: `供应商证书 ${cited.number} 已${word.zh}：贵企业有 ${n.inventories} 份清单、${n.cases} 个认证案件引用了该证书，请更换或重新核实该项输入`,
      en: `Supplier certificate ${cited.number} is ${word.en}: ${n.inventories} of your inventories and ${n.cases} of your certification cases cite it; replace or re-verify that input`,
    });
  }
  // Certification bodies: one message per case they hold. A draft is the applicant's alone: the body
  // learns of it, and of its flags (shown on the case page), only once it is submitted.
  for (const c of cases.filter((c) => c.submitted_at !== null)) {
    const reference = `CL-${String(c.number).padStart(6, "0")}`;
    await notifyOrganization(trx, cited, {
      organizationId: c.cb_organization_id,
      roles: ["cb_admin"],
      caseId: c.id,
      key: `cb:${c.id}`,
      zh: `供应商证书 ${cited.number} 已${word.zh}：认证案件 ${reference} 的清单引用了该证书`,
      en: `Supplier certificate ${cited.number} is ${word.en}: the inventory of certification case ${reference} cites it`,
    });
  }
  return { inventories: inventories.length, cases: cases.length };
}

async function notifyOrganization(
  trx: Transaction<DB>,
  cited: CitedCertificate,
  to: { organizationId: string; roles: readonly string[]; caseId: string | null; key: string; zh: string; en: string },
): Promise<void> {
  const users = await membersWithAnyRole(trx, to.organizationId, to.roles);
  if (users.length === 0) return;
  await writeNotifications(trx, users, {
    organizationId: to.organizationId,
    topic: "supplier_certificate_flagged",
    caseId: to.caseId,
    message: { zh: to.zh, en: to.en },
    sourceKey: `${cited.sourceKey}:supply-chain:${to.key}`,
    at: cited.now,
    now: cited.now,
  });
}

/** The certificate is valid again (restored): its open flags are resolved. */
export async function resolveFlags(trx: Transaction<DB>, certificateId: string, now: Date): Promise<number> {
  return resolveFlagsOfCertificate(trx, certificateId, now);
}
