/**
 * The factor dataset's content hash in a result's stamp: the SHA-256 of the dataset's canonical
 * JSON, computed once per published version however many calculations cite it.
 */
import { describe, expect, it, vi } from "vitest";
import { calculateFootprint } from "../../rules/calculator/index.ts";
import { canonicalJson } from "../../rules/canonical.ts";
import { CN_DEMO_2026_1, datasetContentHash, DEFAULT_FACTOR_LIBRARY, FactorLibrary, type FactorDataset } from "../../rules/factors/index.ts";
import { sha256Hex } from "../../rules/sha256.ts";
import { gas, inventoryOf, material } from "./helpers.ts";

/** Every value the rules hash, so the test can count the hashes of datasets. */
const { hashed } = vi.hoisted(() => ({ hashed: [] as unknown[] }));
vi.mock("../../rules/canonical.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../rules/canonical.ts")>();
  return {
    ...actual,
    contentHash: (value: unknown, memo?: InstanceType<typeof actual.CanonicalMemo>) => {
      hashed.push(value);
      return actual.contentHash(value, memo);
    },
  };
});

const hashesOf = (dataset: FactorDataset) => hashed.filter((v) => v === dataset).length;
const inventory = inventoryOf([
  { id: "p", output: { amount: 1, unit: "t" }, lines: [material("rock", 1, "t", "MAT-LIMESTONE-DEMO"), gas("g", "co2_fossil", 1)] },
]);

describe("the dataset's content hash in the stamp", () => {
  it("is the SHA-256 of the dataset's canonical JSON, beside the dataset's id and version", () => {
    const result = calculateFootprint(inventory);
    expect(result.stamp.factorDataset).toEqual({ id: "CN-DEMO", version: "2026.1", demonstration: true });
    expect(result.stamp.factorDatasetContentSha256).toBe(sha256Hex(canonicalJson(CN_DEMO_2026_1)));
    expect(result.stamp.factorDatasetContentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is computed once per published version, however many calculations cite it", () => {
    const published = DEFAULT_FACTOR_LIBRARY.get("CN-DEMO", "2026.1");
    for (let i = 0; i < 5; i++) calculateFootprint(inventory);
    expect(hashesOf(published)).toBe(1);
    const library = FactorLibrary.of([CN_DEMO_2026_1]);
    const again = library.get("CN-DEMO", "2026.1");
    for (let i = 0; i < 3; i++)
      expect(calculateFootprint(inventory, { factors: library }).stamp.factorDatasetContentSha256).toBe(datasetContentHash(published));
    expect(hashesOf(again)).toBe(1);
  });

  it("changes with the content, and a dataset object no library holds is hashed each time (it could still change)", () => {
    const revised: FactorDataset = {
      ...CN_DEMO_2026_1,
      version: "2026.9",
      factors: CN_DEMO_2026_1.factors.map((f) => (f.code === "MAT-LIMESTONE-DEMO" ? { ...f, note: `${f.note ?? ""} (revised)` } : f)),
    };
    const library = DEFAULT_FACTOR_LIBRARY.with(revised);
    const stamp = calculateFootprint({ ...inventory, factorDataset: { id: "CN-DEMO", version: "2026.9" } }, { factors: library }).stamp;
    expect(stamp.factorDatasetContentSha256).not.toBe(datasetContentHash(DEFAULT_FACTOR_LIBRARY.get("CN-DEMO", "2026.1")));
    const loose = structuredClone(revised);
    datasetContentHash(loose);
    datasetContentHash(loose);
    expect(hashesOf(loose)).toBe(2);
  });
});
