/**
 * `npm run calc -- inventory.json [--digits N] [--stage-policy enforce|warn]` — calculates a
 * footprint and checks it against its PCR, printing { result, presentation, conformance } as JSON.
 * `--pcr-hashes` prints the content hashes of every PCR version (for rules/pcr/published.ts).
 *
 * Like the API, the CLI enforces the PCR's system boundary unless told `--stage-policy warn`: the
 * footprint it prints is what certification would accept (see STAGE_POLICIES).
 *
 * Exit codes: 0 calculated; 1 the file cannot be read as JSON, or the calculator refused it
 * (stderr: { error: { code, message, errors: [{ code, message, location }] } } with every error);
 * 2 wrong arguments; 70 an unexpected failure (a bug: stderr names it, without a stack trace).
 */
import { readFileSync } from "node:fs";
import { calculateFromData } from "./calculator/engine.ts";
import { presentFootprint } from "./calculator/present.ts";
import { STAGE_POLICIES, type StagePolicy } from "./calculator/steps/study.ts";
import { checkConformance } from "./conformance/index.ts";
import { RulesError } from "./errors.ts";
import { PCR_CATALOGUE } from "./pcr/catalogue.ts";

const USAGE = "usage: npm run calc -- inventory.json [--digits N] [--stage-policy enforce|warn] | --pcr-hashes\n";

function fail(code: string, zh: string, en: string): void {
  process.stderr.write(`${JSON.stringify({ error: { code, message: { zh, en } } }, null, 2)}\n`);
}

function main(argv: readonly string[]): number {
  if (argv.includes("--pcr-hashes")) {
    const entries = PCR_CATALOGUE.all().map((p) => [`${p.pcr.code}@${p.pcr.version}`, p.contentSha256]);
    process.stdout.write(`${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`);
    return 0;
  }
  const valueOf = (flag: string): { at: number; value: string | undefined } => {
    const at = argv.indexOf(flag);
    return { at, value: at >= 0 ? argv[at + 1] : undefined };
  };
  const digitsArg = valueOf("--digits");
  const policyArg = valueOf("--stage-policy");
  const digits = digitsArg.at >= 0 ? Number(digitsArg.value) : 4;
  if (!Number.isInteger(digits) || digits < 1 || digits > 21) {
    process.stderr.write(`--digits takes a whole number from 1 to 21\n${USAGE}`);
    return 2;
  }
  const stagePolicy = (policyArg.at >= 0 ? policyArg.value : "enforce") as StagePolicy;
  if (!STAGE_POLICIES.includes(stagePolicy)) {
    process.stderr.write(`--stage-policy takes ${STAGE_POLICIES.join(" or ")}\n${USAGE}`);
    return 2;
  }
  const valueAt = new Set([digitsArg.at + 1, policyArg.at + 1].filter((i) => i > 0));
  const file = argv.find((a, i) => !a.startsWith("--") && !valueAt.has(i));
  if (!file) {
    process.stderr.write(USAGE);
    return 2;
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const reason = (e as Error).message;
    fail("UnreadableInput", `无法以 JSON 读取文件「${file}」`, `Cannot read ${file} as JSON: ${reason}`);
    return 1;
  }
  try {
    const { inventory, result } = calculateFromData(data, { stagePolicy });
    const pcr = PCR_CATALOGUE.get(inventory.pcr.code, inventory.pcr.version);
    const conformance = checkConformance(pcr, inventory, result);
    process.stdout.write(`${JSON.stringify({ result, presentation: presentFootprint(result, digits), conformance }, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RulesError) {
      process.stderr.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
      return 1;
    }
    // Not the input's fault: say so plainly, without a stack trace meant for developers.
    fail("InternalError", "计算程序内部出错，请报告此问题", `The calculator failed: ${e instanceof Error ? e.message : String(e)}`);
    return 70;
  }
}

process.exitCode = main(process.argv.slice(2));
