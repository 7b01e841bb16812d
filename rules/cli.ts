/**
 * `npm run calc -- inventory.json [--digits N]` — calculates a footprint and checks it against its
 * PCR, printing { result, presentation, conformance } as JSON. `--pcr-hashes` prints the content
 * hashes of every PCR version (for rules/pcr/published.ts). Errors go to stderr, exit code 1.
 */
import { readFileSync } from "node:fs";
import { calculateFootprintFromData, parseInventory } from "./calculator/engine.ts";
import { presentFootprint } from "./calculator/present.ts";
import { checkConformance } from "./conformance/index.ts";
import { RulesError } from "./errors.ts";
import { PCR_CATALOGUE } from "./pcr/catalogue.ts";

function main(argv: readonly string[]): number {
  if (argv.includes("--pcr-hashes")) {
    const entries = PCR_CATALOGUE.all().map((p) => [`${p.pcr.code}@${p.pcr.version}`, p.contentSha256]);
    process.stdout.write(`${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`);
    return 0;
  }
  const digitsAt = argv.indexOf("--digits");
  const digits = digitsAt >= 0 ? Number(argv[digitsAt + 1]) : 4;
  const file = argv.find((a, i) => !a.startsWith("--") && (digitsAt < 0 || i !== digitsAt + 1));
  if (!file) {
    process.stderr.write("usage: npm run calc -- inventory.json [--digits N] | --pcr-hashes\n");
    return 2;
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    process.stderr.write(`cannot read ${file} as JSON: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const result = calculateFootprintFromData(data);
    const inventory = parseInventory(data);
    const pcr = PCR_CATALOGUE.get(inventory.pcr.code, inventory.pcr.version);
    const conformance = checkConformance(pcr, inventory, result);
    process.stdout.write(`${JSON.stringify({ result, presentation: presentFootprint(result, digits), conformance }, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RulesError) {
      process.stderr.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
