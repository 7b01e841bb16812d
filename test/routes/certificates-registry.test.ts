/**
 * The public registry: only valid certificates, filters by category, label type, company and
 * province, footprint order within a category, and count / median / range per category and
 * declared unit — what the page's loader hands the page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loader } from "../../app/routes/registry.tsx";
import { send } from "../workflows/cases-support.ts";
import { run, type HandlerData } from "../support/fixtures.ts";
import { issuedCertificate, runOutbox, useTestSigning } from "./certificates-support.ts";

type Data = HandlerData<typeof loader>;

const numbers: Record<string, string> = {};

beforeAll(async () => {
  useTestSigning();
  numbers.a = (await issuedCertificate("registry-a", { verified: 241.5 })).number;
  numbers.b = (await issuedCertificate("registry-b", { verified: 220.25 })).number;
  numbers.lc = (await issuedCertificate("registry-lc", { labelType: "LC", verified: 230 })).number;
  const suspended = await issuedCertificate("registry-suspended", { verified: 199 });
  numbers.suspended = suspended.number;
  await send(suspended.w, suspended.caseId, "cbAdmin", { type: "SUSPEND", reason: "暂停" });
  await runOutbox();
});

async function registry(query = "", locale?: "en"): Promise<Data> {
  const outcome = await run(loader, { url: `/registry${query}`, cookie: locale ? "carbonlabel_lang=en" : undefined });
  expect(outcome.kind).toBe("ok");
  return (outcome as Extract<typeof outcome, { kind: "ok" }>).data;
}

describe("public registry", () => {
  it("lists valid certificates only, newest first, with value, unit, holder and province", async () => {
    const { rows } = await registry();
    const listed = rows.map((r) => r.number);
    expect(listed).toEqual(expect.arrayContaining([numbers.a, numbers.b, numbers.lc]));
    expect(listed).not.toContain(numbers.suspended);
    const a = rows.find((r) => r.number === numbers.a)!;
    expect(a).toMatchObject({ labelType: "CF", value: "241.5", declaredUnit: "1 t", holder: "华绿示范实业集团有限公司", province: "浙江" });
  });

  it("sorts by footprint within a category, lowest first; without a category says why it does not", async () => {
    const sorted = await registry("?category=PCR-CN-CEMENT&sort=footprint");
    const values = sorted.rows.map((r) => Number(r.value));
    expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(sorted.rows.map((r) => r.number).slice(0, 3)).toEqual([numbers.b, numbers.lc, numbers.a]);
    expect(sorted.sortIgnored).toBe(false);
    expect((await registry("?sort=footprint")).sortIgnored).toBe(true);
  });

  it("filters by label type, company and province", async () => {
    expect((await registry("?label=LC")).rows.map((r) => r.number)).toEqual([numbers.lc]);
    expect((await registry("?company=%E5%8D%8E%E7%BB%BF")).rows.length).toBeGreaterThanOrEqual(3); // 华绿
    expect((await registry("?company=Hualv")).rows.length).toBeGreaterThanOrEqual(3);
    expect((await registry("?company=Nobody%25")).rows).toEqual([]);
    expect((await registry("?province=CN-ZJ")).rows.length).toBeGreaterThanOrEqual(3);
    expect((await registry("?province=CN-SH")).rows).toEqual([]);
  });

  it("gives count, median and range per category and declared unit, over valid certificates", async () => {
    const { statistics, facets } = await registry("?category=PCR-CN-CEMENT");
    expect(statistics).toHaveLength(1);
    const cement = statistics[0]!;
    expect(cement).toMatchObject({ category: "PCR-CN-CEMENT", declaredUnit: "t", count: 3, min: "220.25", max: "241.5", median: "230" });
    expect(cement.values).toEqual([220.25, 230, 241.5]);
    expect(facets.categories.map((c) => c.code)).toContain("PCR-CN-CEMENT");
    // An even count: the median is the mean of the middle two.
    const cf = (await registry("?category=PCR-CN-CEMENT&label=CF")).statistics[0]!;
    expect(cf).toMatchObject({ count: 2, median: "230.875" });
  });
});
