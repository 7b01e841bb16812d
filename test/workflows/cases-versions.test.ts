/**
 * Machine versions: a case is stepped, state-checked, hashed and read under the machine version
 * it was stored with. A second version of the certification machine, differing from v1 in one
 * guard (SUBMIT needs at least one attached document), is registered for this file only: a case
 * stored under v1 keeps v1's rule after v2 became current, a new case gets v2's, and a version
 * this release does not know is a named error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  caseActions,
  EventNotAllowedError,
  getCase,
  restoreCase,
  StoredSnapshotError,
  transition,
  UnknownMachineError,
  verifyChains,
} from "../../workflows/cases/index.ts";
import { snapshotHash } from "../../workflows/cases/chain.ts";
import { certificationMachine } from "../../workflows/certification/machine.ts";
import { currentMachineVersion, registerMachineVersion } from "../../workflows/registry.ts";
import { logOf, openTestCase, send, stateOf, world, type World } from "./cases-support.ts";

/** v2: v1 with one guard changed — an application is complete only with a document attached. */
const certificationV2 = certificationMachine.provide({
  guards: {
    applicationComplete: ({ context }) => Number.isFinite(context.declaredValue) && context.declaredValue > 0 && context.attachments.length > 0,
  },
});

let w: World;
let storedUnderV1: string;
let storedUnderV2: string;
let unregisterV2: () => void;
beforeAll(async () => {
  w = await world();
  storedUnderV1 = await openTestCase(w);
  unregisterV2 = registerMachineVersion(2, certificationV2, { current: true });
  storedUnderV2 = await openTestCase(w);
});
afterAll(() => unregisterV2());

const machineColumns = (caseId: string) =>
  w.db.selectFrom("cases").select(["machine", "machine_version"]).where("id", "=", caseId).executeTakeFirstOrThrow();

describe("two machine versions", () => {
  it("opens new cases under the current version and leaves stored ones under theirs", async () => {
    expect(currentMachineVersion().key).toBe("certification.v2");
    expect(await machineColumns(storedUnderV1)).toEqual({ machine: "certification.v1", machine_version: 1 });
    expect(await machineColumns(storedUnderV2)).toEqual({ machine: "certification.v2", machine_version: 2 });
  });

  it("reads each case's actions and context under its own version", async () => {
    // Neither case has a document: only v1 lets the applicant submit without one.
    expect((await caseActions(w.db, storedUnderV1, w.user.applicant))?.events).toContain("SUBMIT");
    expect((await caseActions(w.db, storedUnderV2, w.user.applicant))?.events).not.toContain("SUBMIT");
    const view = await getCase(w.db, storedUnderV2, w.org.maker);
    expect(view?.context).toMatchObject({ caseId: storedUnderV2, attachments: [] });
  });

  it("steps a v1 case with v1's guard while v2 is current, and a v2 case with v2's", async () => {
    await send(w, storedUnderV1, "applicant", { type: "SUBMIT" });
    expect(await stateOf(w, storedUnderV1)).toEqual({ state: "submitted", version: 2 });

    const refused = await send(w, storedUnderV2, "applicant", { type: "SUBMIT" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(EventNotAllowedError);
    expect(refused).toMatchObject({ eventType: "SUBMIT", state: "draft" });
    expect(await stateOf(w, storedUnderV2)).toEqual({ state: "draft", version: 1 });

    await send(w, storedUnderV2, "applicant", { type: "ATTACH_DOCUMENT", attachment: { kind: "inventory_report", name: "Study report.pdf" } });
    await send(w, storedUnderV2, "applicant", { type: "SUBMIT" });
    expect(await stateOf(w, storedUnderV2)).toEqual({ state: "submitted", version: 3 });
  });

  it("hashes every logged snapshot under its case's version, and replays each log with it", async () => {
    for (const [caseId, key] of [
      [storedUnderV1, "certification.v1"],
      [storedUnderV2, "certification.v2"],
    ] as const) {
      const row = await w.db.selectFrom("cases").select(["snapshot"]).where("id", "=", caseId).executeTakeFirstOrThrow();
      const log = await logOf(w, caseId);
      expect(log.at(-1)?.snapshot_hash).toBe(snapshotHash(key, row.snapshot.value, row.snapshot.context));
      expect(await verifyChains(w.db, { caseId })).toMatchObject({ ok: true, findings: [] });
    }
  });
});

describe("a stored version this release does not know", () => {
  it("is an UnknownMachineError for the host and the readers, and other cases carry on", async () => {
    unregisterV2();
    expect(currentMachineVersion().key).toBe("certification.v1");
    const step = await transition(w.db, { caseId: storedUnderV2, actor: { userId: w.user.cbAdmin }, event: { type: "ACCEPT" } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(step).toBeInstanceOf(UnknownMachineError);
    expect(step).toMatchObject({ key: "certification.v2", message: expect.stringContaining("known: certification.v1") });
    await expect(getCase(w.db, storedUnderV2, w.org.maker)).rejects.toBeInstanceOf(UnknownMachineError);
    await expect(caseActions(w.db, storedUnderV2, w.user.applicant)).rejects.toBeInstanceOf(UnknownMachineError);
    expect(await stateOf(w, storedUnderV2)).toEqual({ state: "submitted", version: 3 });

    await send(w, storedUnderV1, "cbAdmin", { type: "ACCEPT" });
    expect(await stateOf(w, storedUnderV1)).toEqual({ state: "accepted", version: 3 });
  });

  it("refuses a row whose version columns disagree or whose context is another case's", async () => {
    const row = await w.db
      .selectFrom("cases")
      .select(["id", "machine", "machine_version", "snapshot"])
      .where("id", "=", storedUnderV1)
      .executeTakeFirstOrThrow();
    expect(restoreCase(row).snapshot.context.caseId).toBe(storedUnderV1);
    expect(() => restoreCase({ ...row, machine_version: 2 })).toThrow(StoredSnapshotError);
    expect(() => restoreCase({ ...row, id: storedUnderV2 })).toThrow(/holds the context of case/);
    expect(() => restoreCase({ ...row, snapshot: { ...row.snapshot, value: "nowhere" } })).toThrow(StoredSnapshotError);
  });
});
