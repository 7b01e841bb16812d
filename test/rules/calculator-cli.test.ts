/**
 * `npm run calc` on files the calculator refuses: a non-zero exit, every error on stderr as JSON
 * with its location and bilingual text, and never a crash or a stack trace.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "calc-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Example = { products: Array<{ id: string; lines: Array<Record<string, unknown>> }> } & Record<string, unknown>;
const cement = () => JSON.parse(readFileSync(join(root, "rules/examples/cement-inventory.json"), "utf8")) as Example;

function calc(content: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  const run = spawnSync(process.execPath, ["--import", "tsx", "rules/cli.ts", file, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface Refusal {
  error: { code: string; message: { zh: string; en: string }; errors: Array<{ code: string; location?: Record<string, string> }> };
}

function refused(run: ReturnType<typeof calc>): Refusal["error"] {
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return (JSON.parse(run.stderr) as Refusal).error;
}

describe("npm run calc on a file it refuses", () => {
  it("names every fault of a file at once, each with its location", () => {
    const data = cement();
    const clinker = data.products[1]!.lines;
    clinker[0]!.amount = -1.22; // limestone
    clinker[1]!.exclude = true; // shale: a typo for "excluded"
    clinker[3]!.amount = 1e308; // kiln-coal, in t: Infinity kg
    clinker[4]!.stage = "use"; // kiln-power, outside the cradle-to-gate boundary
    const error = refused(calc(JSON.stringify(data)));
    expect(error.code).toBe("InventoryRefused");
    expect(error.errors.map((e) => [e.code, e.location?.lineId, e.location?.field])).toEqual([
      ["UnknownMember", "shale", "exclude"],
      ["NegativeAmount", "limestone", "amount"],
      ["FootprintOutOfRange", "kiln-coal", "amount"],
      ["StageNotAllowed", "kiln-power", "stage"],
    ]);
    expect(error.message.zh).toMatch(/^清单有 4 处错误/);
  });

  it("refuses a negative amount, an overflow and an unknown member each on its own", () => {
    const negative = cement();
    negative.products[0]!.lines[1]!.amount = -0.05;
    expect(refused(calc(JSON.stringify(negative))).errors).toEqual([
      expect.objectContaining({ code: "NegativeAmount", location: { productId: "cement", lineId: "gypsum", field: "amount" } }),
    ]);
    const huge = cement();
    huge.products[1]!.lines[2]!.amount = 1e308; // calcination: 1e308 kg of CO2 is a number, the footprint with the rest is not
    huge.products[1]!.lines[3]!.amount = 1e308;
    const overflow = refused(calc(JSON.stringify(huge)));
    expect(overflow.code).toBe("FootprintOutOfRange");
    expect(overflow.message.zh).toContain("数值范围");
    const typo = cement();
    typo.products[1]!.lines[6]!.exclude = true;
    expect(refused(calc(JSON.stringify(typo)))).toMatchObject({
      code: "InvalidInventory",
      errors: [{ code: "UnknownMember", location: { productId: "clinker", lineId: "refractory", field: "exclude" } }],
    });
  });

  it("enforces the PCR's boundary unless told to warn", () => {
    const data = cement();
    data.products[1]!.lines[4]!.stage = "use";
    expect(refused(calc(JSON.stringify(data))).code).toBe("StageNotAllowed");
    const warned = calc(JSON.stringify(data), "--stage-policy", "warn");
    expect(warned.status).toBe(0);
    const out = JSON.parse(warned.stdout) as { result: { warnings: Array<{ code: string }> } };
    expect(out.result.warnings.map((w) => w.code)).toContain("stage_outside_boundary");
  });

  it("says what is wrong with a file that is not JSON and with wrong arguments", () => {
    const broken = calc("{ not json");
    expect(broken.status).toBe(1);
    expect((JSON.parse(broken.stderr) as Refusal).error.code).toBe("UnreadableInput");
    const digits = calc(JSON.stringify(cement()), "--digits", "many");
    expect(digits.status).toBe(2);
    expect(digits.stderr).toContain("--digits takes a whole number from 1 to 21");
    const policy = calc(JSON.stringify(cement()), "--stage-policy", "lenient");
    expect(policy.status).toBe(2);
    expect(policy.stderr).toContain("--stage-policy takes warn or enforce");
    for (const run of [broken, digits, policy]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
