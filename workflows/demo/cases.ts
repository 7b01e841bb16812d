/**
 * Demo certification cases: one in every state of the certification machine, so a newcomer signs
 * in to a body with work in its inbox, certificates in surveillance, a suspension, a renewal and
 * the ends a case can come to.
 *
 * Everything is made by driving the real transitions (workflows/cases) with the demo accounts, at times
 * relative to today, then running the outbox (certificates are issued, notifications delivered)
 * and the scheduler (surveillance due, expiry, overdue findings) as the server would have. The
 * earlier reporting years (2023, 2024) get inventories of their own: the same plants with a
 * higher clinker ratio, less recycled yarn, more assembly power — so the values fall year by
 * year and the reduced-carbon case has the two earlier certificates it needs.
 *
 * Conformance: the demo inventories are on CN-DEMO 2026.2, so their electricity and fuels are the
 * published factors of CN-PUBLISHED 2026.1; their materials, transport and waste remain
 * demonstration values, for want of published ones, and every PCR refuses demonstration data for
 * certification (§8.4): the report names those lines (factor.demonstration). These cases are a
 * demonstration themselves, so they take the PCR checks as passed when demonstration factors are
 * the only failure; any other failed check still counts. Real applications pass the full report.
 *
 * Idempotent: nothing is written when the demo manufacturer already has a case.
 */
import type { Transaction } from "kysely";
import { calculateFootprintFromData, parseInventory } from "../../rules/calculator/index.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { roundToSignificant } from "../../rules/format.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import type { RetiredCredits } from "../certification/types.ts";
import { createCase, transition, type LockedFootprintSource } from "../cases/cases.ts";
import { registeredLockedFootprintSource } from "../footprints/source.ts";
import { NoMailer } from "../cases/mailer.ts";
import { drainOutboxWithin } from "../cases/outbox.ts";
import { runSchedulerOnce } from "../cases/scheduler.ts";
import { hasAppliedForAnyCase, markCaseNotificationsReadBefore } from "../../db/repositories/demo.ts";
import { firstVersionEnding } from "../../db/repositories/inventories.ts";
import { organizationIdByKey } from "../../db/repositories/organizations.ts";
import { insertProduct, productInternalCodes } from "../../db/repositories/products.ts";
import { userIdByEmail } from "../../db/repositories/users.ts";
import type { DB } from "../../db/schema.ts";
import { DEMO_EXAMPLES, insertExampleInventory } from "./products.ts";

const MAKER_CREDIT_CODE = "91330110MA2H7K8L3Y";
/** The demo people a certification case at CCDC involves, by their part in it (the tests drive cases with them too). */
export const CASE_PEOPLE = {
  applicant: "admin@hualv.demo",
  member: "member@hualv.demo",
  cbAdmin: "admin@ccdc.demo",
  reviewer: "reviewer@ccdc.demo",
  inspector: "inspector@ccdc.demo",
  verifier: "verifier@ccdc.demo",
  decider: "decider@ccdc.demo",
} as const;
const PEOPLE = { ...CASE_PEOPLE, hbdcAdmin: "admin@hbdc.demo" } as const;
type Person = keyof typeof PEOPLE;

type Example = (typeof DEMO_EXAMPLES)[string];

/** A reporting year of a demo product: the example with some reference-product lines changed (null removes one). */
interface Variant {
  readonly key: string;
  readonly example: "cement" | "textile" | "battery";
  readonly product: string;
  readonly period: { readonly start: string; readonly end: string };
  readonly lines: Readonly<Record<string, number | null>>;
  readonly note: string;
}

const VARIANTS: readonly Variant[] = [
  {
    key: "K23",
    example: "cement",
    product: "DEMO-CEM-PO425",
    period: { start: "2023-01-01", end: "2023-12-31" },
    lines: { clinker: 900, slag: 0.05 },
    note: "2023 年度：熟料掺量 90%，矿渣粉 5%",
  },
  {
    key: "K24",
    example: "cement",
    product: "DEMO-CEM-PO425",
    period: { start: "2024-01-01", end: "2024-12-31" },
    lines: { clinker: 850, slag: 0.1 },
    note: "2024 年度：熟料掺量 85%，矿渣粉 10%",
  },
  {
    key: "H25",
    example: "cement",
    product: "DEMO-CEM-PO525",
    period: { start: "2025-01-01", end: "2025-12-31" },
    lines: { clinker: 880, slag: 0.07, "grinding-power": 38 },
    note: "2025 年度：熟料掺量 88%，粉磨电耗 38 kWh/t",
  },
  {
    key: "T23",
    example: "textile",
    product: "DEMO-TEX-MESH",
    period: { start: "2023-01-01", end: "2023-12-31" },
    lines: { "virgin-yarn": 1080, "recycled-yarn": null, "rooftop-pv": null, "steam-boiler-gas": 1150, "knitting-dyeing-power": 5.8 },
    note: "2023 年度：全部原生涤纶丝，屋顶光伏尚未投运",
  },
  {
    key: "T24",
    example: "textile",
    product: "DEMO-TEX-MESH",
    period: { start: "2024-01-01", end: "2024-12-31" },
    lines: { "virgin-yarn": 920, "recycled-yarn": 160, "rooftop-pv": null, "steam-boiler-gas": 1050, "knitting-dyeing-power": 5.4 },
    note: "2024 年度：再生涤纶丝 15%，屋顶光伏尚未投运",
  },
  {
    key: "B24",
    example: "battery",
    product: "DEMO-BAT-PACK",
    period: { start: "2024-01-01", end: "2024-12-31" },
    lines: { "assembly-power": 260 },
    note: "2024 年度：组装线改造前，电耗 260 kWh/包",
  },
];

/** The 2025 inventories the product seed made; the demo cases use the textile and battery ones. */
const CURRENT: Readonly<Record<string, { product: string; example: "textile" | "battery" }>> = {
  T25: { product: "DEMO-TEX-MESH", example: "textile" },
  B25: { product: "DEMO-BAT-PACK", example: "battery" },
};

interface Basis {
  readonly inventoryId: string;
  readonly declaredValue: number;
  readonly conformancePassed: boolean;
  /** The verifier's figure: the declared value to four significant digits. */
  readonly verified: number;
}

type Step =
  | { readonly day: number; readonly by: Person; readonly event: Record<string, unknown> & { type: string } }
  | { readonly day: number; readonly scheduler: true };

interface DemoCase {
  readonly label: "CF" | "LC" | "RC" | "CN";
  readonly basis: string;
  readonly cb: "CCDC" | "HBDC";
  readonly openedDay: number;
  readonly by?: Person;
  readonly onsite?: boolean;
  readonly claim?: { period: { start: string; end: string }; quantity: number };
  readonly credits?: readonly RetiredCredits[];
  readonly attachments?: readonly {
    id: string;
    kind: "reduction_measures_report" | "management_plan" | "inventory_report" | "credit_retirement_proof" | "evidence";
    name: string;
  }[];
  /** Steps; `renewal` steps run on the case RENEW opened. */
  readonly steps: (b: Basis, people: Record<Person, string>) => readonly Step[];
  readonly renewal?: { readonly basis: string; readonly steps: (b: Basis, people: Record<Person, string>) => readonly Step[] };
}

const ev = (day: number, by: Person, event: Record<string, unknown> & { type: string }): Step => ({ day, by, event });
const schedulerAt = (day: number): Step => ({ day, scheduler: true });

/** Submit, accept, team, decider, start of review, on consecutive days from `day`. */
function intake(day: number, p: Record<Person, string>, options: { by?: Person; inspector?: boolean } = {}): Step[] {
  return [
    ev(day, options.by ?? "applicant", { type: "SUBMIT" }),
    ev(day - 2, "cbAdmin", { type: "ACCEPT" }),
    ev(day - 3, "cbAdmin", {
      type: "ASSIGN_TEAM",
      reviewer: p.reviewer,
      inspector: options.inspector === false ? null : p.inspector,
      verifier: p.verifier,
    }),
    ev(day - 3, "cbAdmin", { type: "ASSIGN_DECIDER", decider: p.decider }),
    ev(day - 6, "reviewer", { type: "START_REVIEW" }),
  ];
}

const inspection = (day: number, site: string, observations: string, attendees: string[]): Step =>
  ev(day, "inspector", { type: "RECORD_INSPECTION", inspection: { date: "", site, attendees, observations } });

const verification = (day: number, value: number, note: string): Step[] => [
  ev(day, "verifier", { type: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: value, note }),
  ev(day - 1, "verifier", { type: "COMPLETE_VERIFICATION" }),
];

const CEMENT_SITE = "安徽省芜湖市示范水泥厂（熟料线与粉磨站）";
const TEXTILE_SITE = "浙江省绍兴市柯桥示范经编厂";
const BATTERY_SITE = "江苏省常州市示范电池包组装厂";

const CASES: readonly DemoCase[] = [
  {
    // expired: granted, one surveillance passed, the notice, then the end of validity.
    label: "CF",
    basis: "T23",
    cb: "CCDC",
    openedDay: 1035,
    steps: (b, p) => [
      ...intake(1034, p),
      ev(1018, "reviewer", { type: "COMPLETE_REVIEW" }),
      inspection(1010, TEXTILE_SITE, "经编、染整车间计量器具在检定有效期内；蒸汽锅炉天然气表读数与购气发票一致。", [
        "生产部经理 沈立",
        "能源管理员 许诺",
      ]),
      ...verification(1004, b.verified, "2023 年度数据与能源台账、采购记录逐月核对一致。"),
      ev(990, "decider", { type: "GRANT", note: "全部认证要求满足。" }),
      schedulerAt(625),
      ev(610, "inspector", { type: "SURVEILLANCE_PASSED", note: "年度监督：产品配方与工艺未变，能源数据抽查一致。" }),
      schedulerAt(290),
      schedulerAt(250),
    ],
  },
  {
    // renewed: granted, surveilled, renewed with the 2024 inventory; the renewal's grant supersedes it.
    label: "CF",
    basis: "K23",
    cb: "CCDC",
    openedDay: 940,
    steps: (b, p) => [
      ...intake(939, p),
      ev(928, "reviewer", {
        type: "RAISE_FINDING",
        finding: {
          severity: "minor",
          clause: "PCR-CN-CEMENT@1.0.0 §6 数据收集",
          text: "外购熟料比例未在清单中说明，无法确认熟料碳足迹的边界。",
          dueOn: "",
        },
      }),
      ev(920, "member", { type: "ANSWER_FINDING", findingId: "F-01", text: "2023 年全部熟料自产，无外购；已附熟料出入库台账。" }),
      ev(918, "reviewer", { type: "CLOSE_FINDING", findingId: "F-01", note: "台账核对无误。" }),
      ev(916, "reviewer", { type: "COMPLETE_REVIEW" }),
      inspection(905, CEMENT_SITE, "回转窑用煤计量皮带秤校验记录齐全；生料配比与化验室记录一致。", ["生产副总 韩冰", "化验室主任 方圆"]),
      ...verification(900, b.verified, "熟料掺量按月度配料单核定为 90%。"),
      ev(890, "decider", { type: "GRANT" }),
      schedulerAt(525),
      ev(515, "inspector", { type: "SURVEILLANCE_PASSED", note: "年度监督：熟料掺量及燃料结构无重大变化。" }),
      ev(270, "applicant", { type: "RENEW", inventoryId: "K24", declaredValue: 0, conformancePassed: true }),
    ],
    renewal: {
      // issued: the renewal case, on the 2024 inventory.
      basis: "K24",
      steps: (b, p) => [
        ...intake(268, p),
        ev(255, "reviewer", { type: "COMPLETE_REVIEW" }),
        inspection(245, CEMENT_SITE, "矿渣粉掺量提高至 10%，配料系统记录与出厂检验报告一致。", ["生产副总 韩冰"]),
        ...verification(240, b.verified, "2024 年度熟料掺量按月度配料单核定为 85%。"),
        ev(215, "decider", { type: "GRANT", note: "再认证：数据与现场检查一致。" }),
      ],
    },
  },
  {
    // surveillance: granted a year ago, the yearly surveillance has come due.
    label: "CF",
    basis: "T24",
    cb: "CCDC",
    openedDay: 420,
    by: "member",
    steps: (b, p) => [
      ...intake(419, p, { by: "member" }),
      ev(405, "reviewer", { type: "COMPLETE_REVIEW" }),
      inspection(398, TEXTILE_SITE, "再生涤纶丝采购合同与 GRS 交易证书对应；蒸汽计量已更换为涡街流量计。", ["生产部经理 沈立"]),
      ...verification(392, b.verified, "再生丝比例按采购量核定为 15%。"),
      ev(385, "decider", { type: "GRANT" }),
    ],
  },
  {
    // withdrawn: a low-carbon certificate the body withdrew after surveillance sampling.
    label: "LC",
    basis: "T24",
    cb: "CCDC",
    openedDay: 418,
    onsite: false,
    steps: (b, p) => [
      ...intake(417, p, { inspector: false }),
      ev(404, "reviewer", { type: "COMPLETE_REVIEW" }),
      ...verification(390, b.verified, "文件核查：低于 PCR-CN-TEXTILE-FABRIC 低碳基准值 13 kgCO2e/kg。"),
      ev(380, "decider", { type: "GRANT" }),
      ev(95, "cbAdmin", { type: "WITHDRAW", reason: "监督抽样发现再生纱线比例声明与采购记录不符，且未在规定期限内整改。" }),
    ],
  },
  {
    // suspended: a battery pack certificate, suspended pending a supplier change report.
    label: "CF",
    basis: "B24",
    cb: "CCDC",
    openedDay: 330,
    steps: (b, p) => [
      ...intake(329, p),
      ev(318, "reviewer", {
        type: "RAISE_FINDING",
        finding: {
          severity: "major",
          clause: "PCR-CN-LIB-EV@1.0.0 §7 供应商数据",
          text: "BMS 供应商碳足迹证书 CQC-CF-2025-000123 的声明单位与清单用量单位需说明对应关系。",
          dueOn: "",
        },
      }),
      ev(310, "applicant", { type: "ANSWER_FINDING", findingId: "F-01", text: "证书声明单位为每套 BMS，每个电池包用 1 套，已附供应商说明函。" }),
      ev(308, "reviewer", { type: "CLOSE_FINDING", findingId: "F-01", note: "说明充分。" }),
      ev(306, "reviewer", { type: "COMPLETE_REVIEW" }),
      inspection(298, BATTERY_SITE, "组装线电表分项计量；电芯入库记录与 192 只/包的配置一致。", ["质量总监 顾明", "设备主管 陆洋"]),
      ...verification(292, b.verified, "组装电耗按 2024 年分项电表读数核定。"),
      ev(285, "decider", { type: "GRANT" }),
      ev(30, "cbAdmin", { type: "SUSPEND", reason: "监督中发现 BMS 供应商变更未按规定报告，暂停至提交变更后的碳足迹评估。" }),
    ],
  },
  {
    // refused: a low-carbon application whose verified value is above the benchmark.
    label: "LC",
    basis: "K24",
    cb: "CCDC",
    openedDay: 200,
    steps: (b, p) => [
      ...intake(199, p),
      ev(188, "reviewer", { type: "COMPLETE_REVIEW" }),
      inspection(180, CEMENT_SITE, "现场核对 2024 年配料记录，熟料掺量 85%。", ["生产副总 韩冰"]),
      ...verification(175, b.verified, "核查值高于低碳产品基准值 650 kgCO2e/t。"),
      ev(160, "decider", { type: "REFUSE", reason: `经核查的碳足迹 ${b.verified} kgCO2e/t 高于 PCR-CN-CEMENT 低碳产品基准值 650 kgCO2e/t。` }),
    ],
  },
  {
    // declined: the second body could not take it on.
    label: "LC",
    basis: "K23",
    cb: "HBDC",
    openedDay: 900,
    steps: () => [
      ev(899, "applicant", { type: "SUBMIT" }),
      ev(893, "hbdcAdmin", { type: "DECLINE", reason: "本机构该时段现场检查排期已满，建议选择其他认证机构。" }),
    ],
  },
  {
    // withdrawn_by_applicant: withdrawn during review; its credits are free to use again.
    label: "CN",
    basis: "K24",
    cb: "CCDC",
    openedDay: 140,
    claim: { period: { start: "2024-01-01", end: "2024-12-31" }, quantity: 96000 },
    credits: [
      { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2024-AH-", first: 100001, last: 170000, vintage: 2024, retiredOn: "2025-06-30" },
    ],
    attachments: [{ id: "demo-k24-plan", kind: "management_plan", name: "碳中和管理计划（2024）.pdf" }],
    steps: (_b, p) => [
      ...intake(139, p),
      ev(120, "applicant", { type: "WITHDRAW_APPLICATION", reason: "核算期产量统计口径需按新的计量方案重新核定，撤回后重新申请。" }),
    ],
  },
  {
    // evaluation_and_decision: reduced-carbon, 2025 against the 2024 certificate.
    label: "RC",
    basis: "T25",
    cb: "CCDC",
    openedDay: 75,
    by: "member",
    attachments: [{ id: "demo-t25-reduction", kind: "reduction_measures_report", name: "2025 年减碳措施报告.pdf" }],
    steps: (b, p) => [
      ...intake(74, p, { by: "member" }),
      ev(66, "reviewer", {
        type: "RAISE_FINDING",
        finding: { severity: "minor", clause: "PCR-CN-TEXTILE-FABRIC@1.0.0 §5 电力", text: "减碳措施报告未附屋顶光伏发电量的计量记录。", dueOn: "" },
      }),
      ev(58, "member", { type: "ANSWER_FINDING", findingId: "F-01", text: "已补充 2025 年光伏逆变器月度发电量导出记录（1 800 kWh/吨布）。" }),
      ev(56, "reviewer", { type: "CLOSE_FINDING", findingId: "F-01", note: "记录完整。" }),
      ev(54, "reviewer", { type: "COMPLETE_REVIEW" }),
      inspection(40, TEXTILE_SITE, "屋顶光伏并网计量表读数与逆变器记录一致；再生丝比例提高至 35%。", ["生产部经理 沈立", "能源管理员 许诺"]),
      ...verification(33, b.verified, "与 2024 年度证书相比降低约 12.8%。"),
    ],
  },
  {
    // footprint_verification: the verifier has recorded a value but not completed.
    label: "LC",
    basis: "T25",
    cb: "CCDC",
    openedDay: 60,
    steps: (b, p) => [
      ...intake(59, p),
      ev(47, "reviewer", { type: "COMPLETE_REVIEW" }),
      inspection(25, TEXTILE_SITE, "染整车间废水排放量与在线监测数据一致。", ["环保主管 俞静"]),
      ev(6, "verifier", { type: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: b.verified, note: "初步核查值，待复核运输距离。" }),
    ],
  },
  {
    // awaiting_applicant: a major finding whose due date passes today.
    label: "LC",
    basis: "H25",
    cb: "CCDC",
    openedDay: 45,
    steps: (_b, p) => [
      ...intake(44, p),
      ev(20, "reviewer", {
        type: "RAISE_FINDING",
        finding: {
          severity: "major",
          clause: "PCR-CN-CEMENT@1.0.0 §6 数据收集",
          text: "P·O 52.5 熟料掺量 88% 缺少分批配料记录，且核算值可能高于低碳产品基准值，请提供月度配料单。",
          dueOn: "",
        },
      }),
    ],
  },
  {
    // onsite_inspection: review done after a finding, the site visit is next.
    label: "CF",
    basis: "B25",
    cb: "CCDC",
    openedDay: 50,
    steps: (_b, p) => [
      ...intake(49, p),
      ev(36, "reviewer", {
        type: "RAISE_FINDING",
        finding: { severity: "minor", clause: "PCR-CN-LIB-EV@1.0.0 §6 数据质量", text: "组装电耗为按产量分摊的估算值，请说明分摊方法。", dueOn: "" },
      }),
      ev(28, "member", { type: "ANSWER_FINDING", findingId: "F-01", text: "2025 年起组装线单独计量，已附分项电表月报。" }),
      ev(25, "reviewer", { type: "CLOSE_FINDING", findingId: "F-01" }),
      ev(18, "reviewer", { type: "COMPLETE_REVIEW" }),
    ],
  },
  {
    // document_review: carbon-neutral claim with its retired credits.
    label: "CN",
    basis: "H25",
    cb: "CCDC",
    openedDay: 28,
    claim: { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 120000 },
    credits: [
      { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2025-AH-", first: 200001, last: 290000, vintage: 2025, retiredOn: "2026-02-18" },
    ],
    attachments: [
      { id: "demo-h25-plan", kind: "management_plan", name: "碳中和管理计划（2025）.pdf" },
      { id: "demo-h25-proof", kind: "credit_retirement_proof", name: "CCER 注销证明.pdf" },
    ],
    steps: (_b, p) => intake(27, p),
  },
  {
    // planning: team assigned, decider not yet.
    label: "CN",
    basis: "T25",
    cb: "CCDC",
    openedDay: 20,
    claim: { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 180000 },
    credits: [{ registry: "VERRA", programme: "VCS", serialPrefix: "VCS-VCU-1529-", first: 1, last: 2000, vintage: 2023, retiredOn: "2026-05-06" }],
    attachments: [{ id: "demo-t25-plan", kind: "management_plan", name: "碳中和管理计划（2025）.pdf" }],
    steps: (_b, p) => [
      ev(19, "applicant", { type: "SUBMIT" }),
      ev(16, "cbAdmin", { type: "ACCEPT" }),
      ev(14, "cbAdmin", { type: "ASSIGN_TEAM", reviewer: p.reviewer, inspector: p.inspector, verifier: p.verifier }),
    ],
  },
  {
    // accepted: at the second body, waiting for its planning.
    label: "CF",
    basis: "H25",
    cb: "HBDC",
    openedDay: 12,
    steps: () => [ev(11, "applicant", { type: "SUBMIT" }), ev(8, "hbdcAdmin", { type: "ACCEPT" })],
  },
  {
    // submitted: waiting for the second body to accept.
    label: "CF",
    basis: "T25",
    cb: "HBDC",
    openedDay: 6,
    by: "member",
    steps: () => [ev(5, "member", { type: "SUBMIT" })],
  },
  {
    // draft: a carbon-neutral application being prepared, credits already recorded.
    label: "CN",
    basis: "B25",
    cb: "CCDC",
    openedDay: 3,
    claim: { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 300000 },
    credits: [
      { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2025-JS-", first: 1, last: 18000, vintage: 2025, retiredOn: "2026-03-10" },
      { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2025-ZJ-", first: 40001, last: 51500, vintage: 2024, retiredOn: "2026-04-02" },
    ],
    steps: () => [
      ev(2, "applicant", {
        type: "ATTACH_DOCUMENT",
        attachment: { id: "demo-b25-plan", kind: "management_plan", name: "碳中和管理计划（2025）.pdf" },
      }),
    ],
  },
];

/** Returns true when the demo cases were written (false: the demo manufacturer already has cases). */
/**
 * The demo applications rest on stored results like real ones when the app has registered its
 * footprint source. Demo inventories use demonstration factors, which the PCR data check refuses;
 * the demo counts conformance as passed when that is the only finding (as `assess` does), so that
 * its cases can be decided. The stored conformance report still names every finding.
 */
function demoFootprintSource(): LockedFootprintSource | undefined {
  const source = registeredLockedFootprintSource();
  if (!source) return undefined;
  return async (trx, inventory) => {
    const footprint = await source(trx, inventory);
    const findings = (footprint.conformance as { findings: { passed: boolean; check: string }[] }).findings;
    return { ...footprint, conformancePassed: findings.every((f) => f.passed || f.check === "factor.demonstration") };
  };
}

export async function seedDemoCases(trx: Transaction<DB>, options: { now?: Date } = {}): Promise<boolean> {
  const makerId = await organizationIdByKey(trx, { creditCode: MAKER_CREDIT_CODE });
  if (!makerId) return false;
  if (await hasAppliedForAnyCase(trx, makerId)) return false;

  const today = options.now ?? new Date();
  const day = (n: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - n, 2, 0, 0));
  const dateOf = (n: number) => day(n).toISOString().slice(0, 10);
  const people = Object.fromEntries(
    await Promise.all(
      Object.entries(PEOPLE).map(async ([k, email]) => [k, await demoIdOf({ zh: "账户", en: "account" }, email, userIdByEmail(trx, email))]),
    ),
  ) as Record<Person, string>;
  const cbs = Object.fromEntries(
    await Promise.all(
      ["CCDC", "HBDC"].map(async (code) => [
        code,
        await demoIdOf({ zh: "认证机构", en: "certification body" }, code, organizationIdByKey(trx, { cbCode: code })),
      ]),
    ),
  ) as Record<"CCDC" | "HBDC", string>;
  const bases = await prepareBases(trx, makerId, people.applicant);
  const footprint = demoFootprintSource();
  const mailer = new NoMailer();
  const cases: string[] = [];

  const drive = async (caseId: string, steps: readonly Step[]): Promise<string | undefined> => {
    let renewalCaseId: string | undefined;
    for (const s of steps) {
      if ("scheduler" in s) {
        await runSchedulerOnce(trx, { now: day(s.day), caseIds: [caseId] });
        continue;
      }
      const event = { ...s.event };
      // Dates inside payloads follow the step's day (due dates two weeks out, the inspection that day).
      if (event.type === "RAISE_FINDING") event.finding = { ...(event.finding as object), dueOn: dateOf(s.day - 14) };
      if (event.type === "RECORD_INSPECTION") event.inspection = { ...(event.inspection as object), date: dateOf(s.day) };
      if (event.type === "RENEW") {
        const basis = bases.get(event.inventoryId as string)!;
        Object.assign(event, { inventoryId: basis.inventoryId, declaredValue: basis.declaredValue, conformancePassed: basis.conformancePassed });
      }
      const result = await transition(trx, { caseId, actor: { userId: people[s.by] }, event, at: day(s.day), footprint });
      renewalCaseId ??= result.renewalCaseId;
    }
    return renewalCaseId;
  };

  for (const c of CASES) {
    const basis = bases.get(c.basis)!;
    const { caseId } = await createCase(trx, {
      userId: people[c.by ?? "applicant"],
      inventoryId: basis.inventoryId,
      labelType: c.label,
      cbOrganizationId: cbs[c.cb],
      declaredValue: basis.declaredValue,
      conformancePassed: basis.conformancePassed,
      onsiteRequired: c.onsite ?? true,
      claim: c.claim,
      credits: c.credits ? [...c.credits] : undefined,
      attachments: c.attachments ? [...c.attachments] : undefined,
      at: day(c.openedDay),
      footprint,
    });
    cases.push(caseId);
    const renewalCaseId = await drive(caseId, c.steps(basis, people));
    // Certificates are issued and notifications delivered before the next case looks for earlier certificates.
    await drainOutboxWithin(trx, { mailer, now: () => today });
    if (c.renewal && renewalCaseId) {
      cases.push(renewalCaseId);
      await drive(renewalCaseId, c.renewal.steps(bases.get(c.renewal.basis)!, people));
      await drainOutboxWithin(trx, { mailer, now: () => today });
    }
  }
  // Today's pass: surveillance that has come due, findings past their date.
  await runSchedulerOnce(trx, { now: today, caseIds: cases });
  await drainOutboxWithin(trx, { mailer, now: () => today });
  // People have read what is more than two weeks old.
  await markCaseNotificationsReadBefore(trx, cases, day(14), today);
  return true;
}

/** The id a demo person or body was seeded with; the demo cases cannot be made without every one. */
async function demoIdOf(what: { zh: string; en: string }, key: string, found: Promise<string | undefined>): Promise<string> {
  const id = await found;
  if (!id)
    throw new Error(
      `缺少示范${what.zh} ${key}：请先写入示范机构与账户。The demo ${what.en} ${key} is missing: seed the demo organizations and accounts first.`,
    );
  return id;
}

/** The inventory, declared value and conformance verdict of every reporting year the cases use. */
async function prepareBases(trx: Transaction<DB>, makerId: string, userId: string): Promise<Map<string, Basis>> {
  const products = new Map((await productInternalCodes(trx, makerId)).map((p) => [p.internal_code ?? "", p.id]));
  const bases = new Map<string, Basis>();
  for (const [key, current] of Object.entries(CURRENT)) {
    const productId = products.get(current.product);
    const inventoryId = await firstVersionEnding(trx, productId!, "2025-12-31");
    bases.set(key, { inventoryId, ...assess(DEMO_EXAMPLES[current.example]!) });
  }
  const po525 = await ensurePo525(trx, makerId, products);
  for (const v of VARIANTS) {
    const example = variantOf(DEMO_EXAMPLES[v.example]!, v);
    const productId = v.product === "DEMO-CEM-PO525" ? po525 : products.get(v.product)!;
    const inventoryId = await insertInventory(trx, makerId, userId, productId, example, products, v.note);
    bases.set(v.key, { inventoryId, ...assess(example) });
  }
  return bases;
}

function variantOf(example: Example, v: Variant): Example {
  const copy = structuredClone(example);
  copy.period = { ...v.period };
  const reference = copy.products.find((p) => p.id === (copy as { referenceProduct?: string }).referenceProduct) ?? copy.products[0]!;
  reference.lines = reference.lines
    .filter((l) => v.lines[l.id] !== null)
    .map((l) => (l.id in v.lines ? { ...l, amount: v.lines[l.id] as number } : l));
  return copy;
}

function assess(example: Example): Omit<Basis, "inventoryId"> {
  const result = calculateFootprintFromData(example);
  const inventory = parseInventory(example);
  const report = checkConformance(PCR_CATALOGUE.get(inventory.pcr.code, inventory.pcr.version), inventory, result);
  const conformancePassed = report.findings.every((f) => f.passed || f.check === "factor.demonstration");
  return { declaredValue: result.total, conformancePassed, verified: Number(roundToSignificant(result.total, 4)) };
}

/** A second cement, P·O 52.5, ground from the same clinker. */
async function ensurePo525(trx: Transaction<DB>, makerId: string, products: Map<string, string>): Promise<string> {
  const existing = products.get("DEMO-CEM-PO525");
  if (existing) return existing;
  return insertProduct(trx, makerId, {
    name_zh: "P·O 52.5 普通硅酸盐水泥",
    name_en: "P·O 52.5 ordinary Portland cement",
    model: "P·O 52.5",
    pcr_code: "PCR-CN-CEMENT",
    site_region: "CN-AH",
    internal_code: "DEMO-CEM-PO525",
  });
}

/** The reference product's lines of an example as one inventory (sub-products keep their own inventories). */
function insertInventory(
  trx: Transaction<DB>,
  makerId: string,
  userId: string,
  productId: string,
  example: Example,
  products: Map<string, string>,
  note: string,
): Promise<string> {
  const reference = example.products.find((p) => p.id === (example as { referenceProduct?: string }).referenceProduct) ?? example.products[0]!;
  const subProducts: Record<string, string> = { clinker: "DEMO-CEM-CLINKER", cell: "DEMO-BAT-CELL", cathode: "DEMO-BAT-CAM" };
  return insertExampleInventory(trx, {
    organizationId: makerId,
    userId,
    productId,
    example,
    modelled: reference,
    subProductId: (id) => products.get(subProducts[id] ?? ""),
    note,
  });
}
