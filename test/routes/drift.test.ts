/**
 * The drift watch in a constructed case (docs/decisions/0018): three certificates issued the real
 * way on cement inventories whose grid electricity is none, 10 kWh/t and 100 kWh/t, then a CN-DEMO
 * version that raises the grid factor by half. Exactly the certificate whose footprint moves by
 * more than 5 % lands in its body's surveillance queue with the electricity line as the
 * explanation, its holder and body are told, and nothing certified changes. A run again adds
 * nothing; a PCR's own tolerance is honoured; a version that cannot calculate an inventory flags it
 * with the reason.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as queue from "../../app/routes/cases.drift.tsx";
import * as dashboard from "../../app/routes/dashboard.tsx";
import { lockedFootprintSource } from "../../app/services/cases/application.server.ts";
import { publishAndWatch } from "../../app/services/datasets.server.ts";
import { lockedInventoryInput } from "../../app/services/inventory-dataset.server.ts";
import { getDb } from "../../db/client.ts";
import { fromNumeric } from "../../db/decimal.ts";
import { createCase } from "../../workflows/cases/index.ts";
import { importDatasetDraft } from "../../workflows/footprints/datasets.ts";
import { runDriftWatch, type DriftExplanation } from "../../workflows/footprints/drift.ts";
import { cookieFor, run, userIdByEmail } from "../support/fixtures.ts";
import { world, send, toDecision, type World } from "../workflows/cases-support.ts";
import { runOutbox, useTestSigning } from "./certificates-support.ts";
import { ccdcId } from "./cases-support.ts";
import { demoVersion, electricityInventory, GRID_2026_1, GRID_CODE, gridAt, publish } from "./drift-support.ts";

const RAISED = 0.9308; // +50 % on 0.6205

interface Issued {
  readonly number: string;
  readonly certificateId: string;
  readonly caseId: string;
  readonly electricityLineId: string | null;
  readonly storedTotal: number;
}

let w: World;
const issued: Record<"none" | "small" | "large", Issued> = {} as never;

/** A CF certificate on an inventory with `kWh` of grid electricity, its application resting on a stored result. */
async function certify(note: string, kWh: number | null): Promise<Issued> {
  const { inventoryId, electricityLineId } = await electricityInventory(note, kWh);
  const { caseId } = await createCase(w.db, {
    userId: w.user.applicant,
    inventoryId,
    labelType: "CF",
    cbOrganizationId: await ccdcId(),
    declaredValue: 1,
    conformancePassed: true,
    footprint: lockedFootprintSource,
  });
  await toDecision(w, caseId, 250);
  await send(w, caseId, "decider", { type: "GRANT" });
  await runOutbox();
  const row = await w.db
    .selectFrom("certificates")
    .innerJoin("cases", "cases.id", "certificates.case_id")
    .innerJoin("footprint_results", "footprint_results.id", "cases.result_id")
    .select(["certificates.id", "certificates.number", "footprint_results.total"])
    .where("certificates.case_id", "=", caseId)
    .executeTakeFirstOrThrow();
  return { number: row.number, certificateId: row.id, caseId, electricityLineId, storedTotal: fromNumeric(row.total) };
}

async function certifiedRecord() {
  const db = await getDb();
  return {
    results: await db.selectFrom("footprint_results").selectAll().orderBy("id").execute(),
    certificates: await db.selectFrom("certificates").select(["id", "number", "status", "verified_value", "payload_sha256"]).orderBy("id").execute(),
  };
}

async function driftRows(version: string) {
  const db = await getDb();
  const ids = Object.values(issued).map((i) => i.certificateId);
  return db.selectFrom("drift_results").selectAll().where("dataset_version", "=", version).where("certificate_id", "in", ids).execute();
}

async function driftNotifications() {
  const db = await getDb();
  return db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .select(["users.email", "notifications.message_zh", "notifications.message_en", "notifications.case_id"])
    .where("topic", "=", "footprint_drift")
    .orderBy("users.email")
    .execute();
}

beforeAll(async () => {
  useTestSigning();
  w = await world();
  issued.none = await certify("drift: no electricity", null);
  issued.small = await certify("drift: 10 kWh/t", 10_000);
  issued.large = await certify("drift: 100 kWh/t", 100_000);
}, 120_000);

describe("the drift watch", () => {
  it("flags exactly the certificate beyond tolerance when the grid factor rises, and changes nothing certified", async () => {
    // Electricity's share of each footprint under CN-DEMO 2026.1.
    expect(issued.small.storedTotal - issued.none.storedTotal).toBeCloseTo(10 * GRID_2026_1, 9);
    expect(issued.large.storedTotal - issued.none.storedTotal).toBeCloseTo(100 * GRID_2026_1, 9);
    const before = await certifiedRecord();

    const db = await getDb();
    const admin = await userIdByEmail("admin@platform.demo");
    const draft = demoVersion("2027.1", { [GRID_CODE]: gridAt(RAISED) });
    expect(
      await importDatasetDraft(db, { dataset: draft, file: { name: "cn-demo-2027.1.csv", sha256: "0".repeat(64) }, userId: admin }),
    ).toMatchObject({ ok: true });
    const published = await publishAndWatch(db, { datasetId: "CN-DEMO", version: "2027.1", userId: admin });
    if (!published.ok) throw new Error(JSON.stringify(published));
    expect(published.drift).toMatchObject({
      evaluated: 3,
      flagged: 1,
      failed: 0,
      dataset: { id: "CN-DEMO", version: "2027.1", sha256: published.sha256 },
    });

    const rows = await driftRows("2027.1");
    const by = (i: Issued) => rows.find((r) => r.certificate_id === i.certificateId)!;
    const change = (i: Issued, kWhPerT: number) => (kWhPerT * (RAISED - GRID_2026_1)) / i.storedTotal;
    expect(fromNumeric(by(issued.none).relative_change)).toBe(0);
    expect(fromNumeric(by(issued.small).relative_change)).toBeCloseTo(change(issued.small, 10), 12);
    expect(fromNumeric(by(issued.large).relative_change)).toBeCloseTo(change(issued.large, 100), 12);
    // About +1.3 % and +10.4 %: only the large one is beyond 5 %.
    expect(change(issued.small, 10)).toBeLessThan(0.05);
    expect(change(issued.large, 100)).toBeGreaterThan(0.05);
    expect(rows.filter((r) => r.beyond_tolerance).map((r) => r.certificate_id)).toEqual([issued.large.certificateId]);
    for (const r of rows) {
      expect(fromNumeric(r.tolerance)).toBe(0.05);
      expect(r.dataset_sha256).toBe(published.sha256);
      expect(r.error).toBeNull();
    }

    // The explanation: the electricity line alone moved, by 31.03 kg per tonne, from the old factor to the new.
    const explanation = by(issued.large).explanation as DriftExplanation;
    expect(explanation.lines).toEqual([
      {
        productId: expect.any(String),
        lineId: issued.large.electricityLineId,
        name: "粉磨电耗",
        stage: "production",
        storedKgCO2e: expect.closeTo(100 * GRID_2026_1, 9),
        recalculatedKgCO2e: expect.closeTo(100 * RAISED, 9),
        changeKgCO2e: expect.closeTo(100 * (RAISED - GRID_2026_1), 9),
        shareOfTotal: expect.closeTo(change(issued.large, 100), 12),
        factor: { old: { code: GRID_CODE, value: GRID_2026_1, unit: "kWh" }, new: { code: GRID_CODE, value: RAISED, unit: "kWh" } },
      },
    ]);
    expect(explanation).toMatchObject({
      moreLines: 0,
      unchangedLines: 3,
      from: { id: "CN-DEMO", version: "2026.1" },
      to: { id: "CN-DEMO", version: "2027.1" },
    });
    expect(await certifiedRecord()).toEqual(before);
  });

  it("puts the flagged certificate in its body's queue with the line that moved, and no other body's", async () => {
    const ccdc = await run(queue.loader, { url: "/cases/drift", cookie: await cookieFor("reviewer@ccdc.demo") });
    if (ccdc.kind !== "ok") throw new Error(ccdc.kind);
    expect(ccdc.data.count).toBe(1);
    expect(ccdc.data.items.map((i) => i.certificate)).toEqual([issued.large.number]);
    const item = ccdc.data.items[0]!;
    expect(item).toMatchObject({
      caseId: issued.large.caseId,
      certified: issued.large.storedTotal,
      recalculated: expect.closeTo(issued.large.storedTotal + 100 * (RAISED - GRID_2026_1), 9),
      tolerance: 0.05,
      dataset: { id: "CN-DEMO", version: "2027.1" },
      error: null,
    });
    expect(item.explanation.lines.map((l) => l.name)).toEqual(["粉磨电耗"]);

    const hbdc = await run(queue.loader, { url: "/cases/drift", cookie: await cookieFor("admin@hbdc.demo") });
    expect(hbdc).toMatchObject({ kind: "ok", data: { count: 0, items: [] } });

    // The count on the body's dashboard, beside its inbox.
    const onDashboard = async (email: string) => {
      const page = await run(dashboard.loader, { url: "/dashboard", cookie: await cookieFor(email) });
      if (page.kind !== "ok" || page.data.cases?.side !== "cb") throw new Error(`dashboard of ${email}`);
      return page.data.cases.drift;
    };
    expect(await onDashboard("reviewer@ccdc.demo")).toBe(1);
    expect(await onDashboard("admin@hbdc.demo")).toBe(0);
  });

  it("tells the holder's people and the body's administrators, in both languages, about the flagged certificate only", async () => {
    const notes = await driftNotifications();
    expect(notes.map((n) => n.email)).toEqual(["admin@ccdc.demo", "admin@hualv.demo", "member@hualv.demo"]);
    for (const n of notes) {
      expect(n.case_id).toBe(issued.large.caseId);
      expect(n.message_zh).toContain(`证书 ${issued.large.number}`);
      expect(n.message_zh).toContain("CN-DEMO 2027.1");
      expect(n.message_zh).toContain("粉磨电耗");
      expect(n.message_en).toContain(`certificate ${issued.large.number}`);
      expect(n.message_en).toMatch(/change \+10\.\d\d %, tolerance 5\.0 %/);
    }
  });

  it("adds nothing when run again for the same version", async () => {
    const db = await getDb();
    const again = await runDriftWatch(db, { dataset: { id: "CN-DEMO", version: "2027.1" }, inputOf: lockedInventoryInput });
    expect(again).toMatchObject({ evaluated: 0, flagged: 0, failed: 0 });
    expect(await driftRows("2027.1")).toHaveLength(3);
    expect(await driftNotifications()).toHaveLength(3);
  });

  it("judges each certificate by its PCR's own tolerance where one is given", async () => {
    await publish(demoVersion("2027.2", { [GRID_CODE]: gridAt(RAISED) }));
    const db = await getDb();
    const summary = await runDriftWatch(db, {
      dataset: { id: "CN-DEMO", version: "2027.2" },
      inputOf: lockedInventoryInput,
      tolerances: { "PCR-CN-CEMENT": 0.01 },
    });
    expect(summary).toMatchObject({ evaluated: 3, flagged: 2 });
    const rows = await driftRows("2027.2");
    expect(
      rows
        .filter((r) => r.beyond_tolerance)
        .map((r) => r.certificate_id)
        .sort(),
    ).toEqual([issued.small.certificateId, issued.large.certificateId].sort());
    expect(rows.map((r) => fromNumeric(r.tolerance))).toEqual([0.01, 0.01, 0.01]);
  });

  it("flags a certificate the new version cannot calculate, saying why", async () => {
    const grid = demoVersion("2027.3", {})
      .factors.filter((f) => f.category === "electricity" && f.boundary === "life_cycle")
      .map((f) => f.code);
    await publish(demoVersion("2027.3", Object.fromEntries(grid.map((code) => [code, null]))));
    const db = await getDb();
    const summary = await runDriftWatch(db, { dataset: { id: "CN-DEMO", version: "2027.3" }, inputOf: lockedInventoryInput });
    expect(summary).toMatchObject({ evaluated: 3, flagged: 2, failed: 2 });
    const rows = await driftRows("2027.3");
    const failed = rows.filter((r) => r.error !== null);
    expect(failed.map((r) => r.certificate_id).sort()).toEqual([issued.small.certificateId, issued.large.certificateId].sort());
    for (const r of failed) {
      expect(r.beyond_tolerance).toBe(true);
      expect(r.recalculated_total).toBeNull();
      expect((r.error as { en: string }).en.length).toBeGreaterThan(0);
    }
    const fine = rows.find((r) => r.certificate_id === issued.none.certificateId)!;
    expect([fine.beyond_tolerance, fromNumeric(fine.relative_change)]).toEqual([false, 0]);
  });
});
