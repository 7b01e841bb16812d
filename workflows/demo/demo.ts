/**
 * Demo data: one platform operator, one manufacturer, two certification bodies and one account per
 * role. Idempotent: every row is found by its natural key (email, credit code, body code) before
 * it is inserted, so seeding twice changes nothing.
 *
 * All names are fictitious and say "示范/Demo"; credit codes are valid by GB 32100-2015 but belong
 * to no real company.
 */
import type { Kysely, Transaction } from "kysely";
import { scrypt, randomBytes } from "node:crypto";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { insertMembership } from "../../db/repositories/memberships.ts";
import { countOrganizations, insertOrganization, organizationIdByKey } from "../../db/repositories/organizations.ts";
import { insertUser, userIdByEmail } from "../../db/repositories/users.ts";
import type { DB, NewOrganization, Role } from "../../db/schema.ts";
import { seedDemoCases } from "./cases.ts";
import { seedDemoProducts } from "./products.ts";

export const DEMO_PASSWORD = "carbon-demo-2026";

interface DemoOrganization extends NewOrganization {
  key: "platform" | "manufacturer" | "cb1" | "cb2";
}

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    key: "platform",
    kind: "platform",
    name_zh: "碳标识认证平台运营中心（示范）",
    name_en: "CarbonLabel Platform Operations (Demo)",
    address: "北京市西城区示范路 1 号",
    province: "CN-BJ",
  },
  {
    key: "manufacturer",
    kind: "manufacturer",
    name_zh: "华绿示范实业集团有限公司",
    name_en: "Hualv Demo Industrial Group Co., Ltd.",
    address: "浙江省杭州市余杭区示范大道 88 号",
    province: "CN-ZJ",
    credit_code: "91330110MA2H7K8L3Y",
  },
  {
    key: "cb1",
    kind: "certification_body",
    name_zh: "中碳示范认证中心有限公司",
    name_en: "China Carbon Demo Certification Center Co., Ltd.",
    address: "北京市朝阳区示范街 9 号",
    province: "CN-BJ",
    cnca_approval_number: "CNCA-R-2025-DEMO-001",
    cb_code: "CCDC",
  },
  {
    key: "cb2",
    kind: "certification_body",
    name_zh: "华标示范认证有限公司",
    name_en: "Huabiao Demo Certification Co., Ltd.",
    address: "上海市浦东新区示范路 66 号",
    province: "CN-SH",
    cnca_approval_number: "CNCA-R-2025-DEMO-002",
    cb_code: "HBDC",
  },
];

export interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  organizationKey: DemoOrganization["key"];
  organization: string;
}

const account = (email: string, name: string, role: Role, organizationKey: DemoOrganization["key"]): DemoAccount => ({
  email,
  name,
  role,
  organizationKey,
  organization: DEMO_ORGANIZATIONS.find((o) => o.key === organizationKey)!.name_zh,
});

export const DEMO_ACCOUNTS: DemoAccount[] = [
  account("admin@platform.demo", "平台管理员 王敏", "platform_admin", "platform"),
  account("admin@hualv.demo", "企业管理员 李强", "manufacturer_admin", "manufacturer"),
  account("member@hualv.demo", "企业成员 陈静", "manufacturer_member", "manufacturer"),
  account("admin@ccdc.demo", "机构管理员 赵磊", "cb_admin", "cb1"),
  account("reviewer@ccdc.demo", "文件评审员 孙悦", "cb_reviewer", "cb1"),
  account("inspector@ccdc.demo", "现场检查员 周涛", "cb_inspector", "cb1"),
  account("verifier@ccdc.demo", "核查员 吴芳", "cb_verifier", "cb1"),
  account("decider@ccdc.demo", "决定人员 郑伟", "cb_decider", "cb1"),
  account("admin@hbdc.demo", "机构管理员 刘洋", "cb_admin", "cb2"),
];

/** Scrypt with the same parameters as the app (kept here so db/ does not import app/). */
function demoPasswordHash(): Promise<string> {
  const N = 2 ** 16;
  const r = 8;
  const salt = randomBytes(16);
  return new Promise((resolve, reject) =>
    scrypt(DEMO_PASSWORD.normalize("NFKC"), salt, 32, { N, r, p: 1, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(`scrypt$${N}$${r}$1$${salt.toString("base64url")}$${key.toString("base64url")}`),
    ),
  );
}

async function upsertOrganization(trx: Transaction<DB>, org: DemoOrganization, scope: string[]): Promise<string> {
  const { key: _key, ...values } = org;
  const existing = await organizationIdByKey(
    trx,
    org.credit_code ? { creditCode: org.credit_code } : org.cb_code ? { cbCode: org.cb_code } : { platformNameEn: org.name_en },
  );
  if (existing) return existing;
  const inserted = await insertOrganization(trx, { ...values, accredited_categories: org.kind === "certification_body" ? scope : [] });
  return inserted.id;
}

export interface SeedOptions {
  /** Do nothing unless the database has no organization yet (used by `npm start`). */
  onlyIfEmpty?: boolean;
  /** PCR category codes the demo certification bodies are accredited for. */
  accreditedScope?: { cb1: string[]; cb2: string[] };
  /**
   * certification cases: also open the demo cases, one in every state (workflows/demo/cases.ts). `npm start`
   * and `npm run db:seed` do; tests ask for them only where they need them (~150 transitions).
   */
  cases?: boolean;
}

/** Returns true when anything was written. One transaction: a failure leaves nothing behind. */
export async function seedDemoData(db: Kysely<DB>, options: SeedOptions = {}): Promise<boolean> {
  if (options.onlyIfEmpty) {
    if ((await countOrganizations(db)) > 0) return false;
  }
  const scope = options.accreditedScope ?? defaultScope();
  let hash: string | undefined;
  return db.transaction().execute(async (trx) => {
    let wrote = false;
    const ids = new Map<string, string>();
    for (const org of DEMO_ORGANIZATIONS) {
      ids.set(org.key, await upsertOrganization(trx, org, org.key === "cb2" ? scope.cb2 : scope.cb1));
    }
    for (const demo of DEMO_ACCOUNTS) {
      if (await userIdByEmail(trx, demo.email)) continue;
      hash ??= await demoPasswordHash();
      const userId = await insertUser(trx, { email: demo.email, name: demo.name, password_hash: hash, preferred_language: "zh-CN" });
      await insertMembership(trx, { userId, organizationId: ids.get(demo.organizationKey)!, roles: [demo.role] });
      wrote = true;
    }
    const manufacturerId = ids.get("manufacturer")!;
    const adminEmail = DEMO_ACCOUNTS.find((a) => a.role === "manufacturer_admin")!.email;
    const adminId = await userIdByEmail(trx, adminEmail);
    if (!adminId) throw new Error(`缺少示范企业管理员 ${adminEmail}。The demo manufacturer's admin ${adminEmail} is missing.`);
    if (await seedDemoProducts(trx, manufacturerId, adminId)) wrote = true;
    // certification cases: one in every state, driven through the real transitions
    if (options.cases && (await seedDemoCases(trx))) wrote = true;
    return wrote;
  });
}

/**
 * The first demo body is accredited for every PCR in the catalogue; the second only for building
 * materials and textiles, so the "choose a certification body" step has something to filter.
 */
function defaultScope() {
  const all = PCR_CATALOGUE.list().map((pcr) => pcr.code);
  const cb2 = ["PCR-CN-CEMENT", "PCR-CN-FLAT-GLASS", "PCR-CN-CERAMIC-TILE", "PCR-CN-TEXTILE-FABRIC"].filter((c) => all.includes(c));
  return { cb1: all, cb2 };
}
