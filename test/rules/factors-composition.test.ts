/**
 * Dataset versions that include other published versions: the union a dataset offers, a code
 * offered only once, the included versions pinned by content hash (so the including version's
 * hash covers theirs), and CN-DEMO 2026.2 on CN-PUBLISHED 2026.1.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calculateFootprint } from "../../rules/calculator/index.ts";
import { canonicalJson } from "../../rules/canonical.ts";
import {
  DatasetVersionConflictError,
  DuplicateFactorCodeError,
  IncludedDatasetHashMismatchError,
  IncludedDatasetMissingError,
  MissingEmissionFactorError,
} from "../../rules/errors.ts";
import {
  CN_DEMO_2026_1,
  CN_DEMO_2026_2,
  CN_PUBLISHED_2026_1,
  datasetContentHash,
  DEFAULT_FACTOR_LIBRARY,
  FactorDatasetSchema,
  FactorLibrary,
  type EmissionFactor,
  type FactorDataset,
} from "../../rules/factors/index.ts";
import { sha256Hex } from "../../rules/sha256.ts";
import { inventoryOf, material } from "./helpers.ts";

/** The content hash of CN-DEMO 2026.1 as certificates and stored results cite it (computed before CN-PUBLISHED existed): it never changes. */
const CN_DEMO_2026_1_SHA256 = "1446726e827a61232f06a768b387ac84312b096991ce7e06b7f1cce440205137";

const library = DEFAULT_FACTOR_LIBRARY.with(CN_DEMO_2026_2);
const publishedHash = datasetContentHash(DEFAULT_FACTOR_LIBRARY.get("CN-PUBLISHED", "2026.1"));

const factor = (code: string, extra: Partial<EmissionFactor> = {}): EmissionFactor => ({
  code,
  name: { zh: `因子 ${code}`, en: `factor ${code}` },
  category: "material",
  activityUnit: "kg",
  gases: { co2_fossil: 1 },
  boundary: "cradle_to_gate",
  region: "CN",
  year: 2025,
  source: { document: "test document", publisher: "test", year: 2025 },
  demonstration: false,
  ...extra,
});

const dataset = (id: string, version: string, factors: EmissionFactor[], includes?: FactorDataset["includes"]): FactorDataset => ({
  id,
  version,
  name: { zh: `${id} ${version}`, en: `${id} ${version}` },
  publishedOn: "2026-12-07",
  demonstration: false,
  ...(includes ? { includes } : {}),
  factors,
});

const including = (key: { id: string; version: string }, hash: string) => [{ ...key, sha256: hash }];

describe("a dataset version that includes others", () => {
  it("offers its own factors and those of the versions it includes, and names where each comes from", () => {
    const own = library.get("CN-DEMO", "2026.2").factors;
    const index = library.index("CN-DEMO", "2026.2");
    expect(index.size).toBe(own.length + CN_PUBLISHED_2026_1.factors.length);
    expect(library.factors("CN-DEMO", "2026.2").map((f) => f.code)).toEqual([...own, ...CN_PUBLISHED_2026_1.factors].map((f) => f.code));
    expect(index.get("MAT-LIMESTONE-DEMO")?.demonstration).toBe(true);
    expect(index.get("FUEL-DIESEL")?.source.document).toBe("GB/T 32151.22—2024");
    expect(library.originOf("CN-DEMO", "2026.2", "FUEL-DIESEL")?.id).toBe("CN-PUBLISHED");
    expect(library.originOf("CN-DEMO", "2026.2", "MAT-LIMESTONE-DEMO")?.version).toBe("2026.2");
    expect(library.originOf("CN-DEMO", "2026.2", "NOPE")).toBeUndefined();
    expect(library.members("CN-DEMO", "2026.2").map((d) => `${d.id}@${d.version}`)).toEqual(["CN-DEMO@2026.2", "CN-PUBLISHED@2026.1"]);
    // A version without includes is what it was.
    expect(library.index("CN-DEMO", "2026.1").size).toBe(CN_DEMO_2026_1.factors.length);
  });

  it("refuses a code offered twice across the union, naming the code and both versions", () => {
    const clash = dataset("X", "2026.1", [factor("FUEL-DIESEL")], including(CN_PUBLISHED_2026_1, publishedHash));
    const e = catchError(() => DEFAULT_FACTOR_LIBRARY.with(clash));
    expect(e).toBeInstanceOf(DuplicateFactorCodeError);
    expect(e).toMatchObject({ code: "DuplicateFactorCode", factorCode: "FUEL-DIESEL", firstIn: "X@2026.1", againIn: "CN-PUBLISHED@2026.1" });
    expect((e as DuplicateFactorCodeError).detail.zh).toContain("「FUEL-DIESEL」");
    expect((e as DuplicateFactorCodeError).detail.en).toContain('"FUEL-DIESEL"');

    // Two included versions offering the same code clash as well.
    const a = dataset("A", "2026.1", [factor("SHARED")]);
    const b = dataset("B", "2026.1", [factor("SHARED")]);
    const both = FactorLibrary.of([a, b]);
    const ab = dataset("AB", "2026.1", [factor("OWN")], [...including(a, datasetContentHash(a)), ...including(b, datasetContentHash(b))]);
    expect(() => both.with(ab)).toThrow(DuplicateFactorCodeError);
  });

  it("takes a version reached twice (through two includes) once", () => {
    const base = dataset("BASE", "2026.1", [factor("BASE-1")]);
    const baseHash = datasetContentHash(base);
    const left = dataset("LEFT", "2026.1", [factor("LEFT-1")], including(base, baseHash));
    const right = dataset("RIGHT", "2026.1", [factor("RIGHT-1")], including(base, baseHash));
    const lib = FactorLibrary.of([base, left, right]);
    const top = dataset(
      "TOP",
      "2026.1",
      [factor("TOP-1")],
      [...including(left, datasetContentHash(lib.get("LEFT", "2026.1"))), ...including(right, datasetContentHash(lib.get("RIGHT", "2026.1")))],
    );
    const all = lib.with(top);
    expect([...all.index("TOP", "2026.1").keys()]).toEqual(["TOP-1", "LEFT-1", "BASE-1", "RIGHT-1"]);
  });

  it("refuses an include the library does not hold, or holds with other content than pinned", () => {
    expect(() => FactorLibrary.of([CN_DEMO_2026_2])).toThrow(IncludedDatasetMissingError);
    const missing = catchError(() => FactorLibrary.of([CN_DEMO_2026_2]));
    expect(missing).toMatchObject({ datasetKey: "CN-DEMO@2026.2", includedKey: "CN-PUBLISHED@2026.1" });

    const wrong = "0".repeat(64);
    // Under a version of its own: 2026.2 is built in, and another content under its number is a conflict.
    const mismatch = catchError(() =>
      DEFAULT_FACTOR_LIBRARY.with({ ...CN_DEMO_2026_2, version: "2026.8", includes: including(CN_PUBLISHED_2026_1, wrong) }),
    );
    expect(mismatch).toBeInstanceOf(IncludedDatasetHashMismatchError);
    expect(mismatch).toMatchObject({ pinned: wrong, actual: publishedHash });

    // A revised published version is a new version: the old pin does not fit it.
    const revised = { ...CN_PUBLISHED_2026_1, version: "2026.2", factors: CN_PUBLISHED_2026_1.factors.slice(1) };
    const withRevised = DEFAULT_FACTOR_LIBRARY.with(revised);
    expect(() => withRevised.with({ ...CN_DEMO_2026_2, version: "2026.3", includes: including(revised, publishedHash) })).toThrow(
      IncludedDatasetHashMismatchError,
    );
  });

  it("refuses including itself or the same version twice (schema)", () => {
    const self = FactorDatasetSchema.safeParse(dataset("S", "2026.1", [factor("S-1")], including({ id: "S", version: "2026.1" }, publishedHash)));
    expect(self.error?.issues.map((i) => i.message)).toEqual(["a dataset cannot include itself (S@2026.1)"]);
    const twice = FactorDatasetSchema.safeParse({ ...CN_DEMO_2026_2, includes: [...CN_DEMO_2026_2.includes!, ...CN_DEMO_2026_2.includes!] });
    expect(twice.error?.issues.map((i) => i.path.join("."))).toEqual(["includes.1"]);
  });

  it("has a content hash that covers the included versions' hashes", () => {
    const composed = library.get("CN-DEMO", "2026.2");
    expect(composed.includes).toEqual([{ id: "CN-PUBLISHED", version: "2026.1", sha256: publishedHash }]);
    expect(datasetContentHash(composed)).toBe(sha256Hex(canonicalJson(CN_DEMO_2026_2)));
    // The same own factors including another published version: another hash.
    const revised = { ...CN_PUBLISHED_2026_1, version: "2026.2", factors: CN_PUBLISHED_2026_1.factors.slice(1) };
    const other = { ...CN_DEMO_2026_2, version: "2026.3", includes: including(revised, datasetContentHash(revised)) };
    const lib = DEFAULT_FACTOR_LIBRARY.with(revised).with(other);
    expect(datasetContentHash(lib.get("CN-DEMO", "2026.3"))).not.toBe(datasetContentHash(composed));
    // A result's stamp cites the including version's hash.
    const inv = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [material("rock", 1, "t", "MAT-LIMESTONE-DEMO")] }], {
      factorDataset: { id: "CN-DEMO", version: "2026.2" },
    });
    const stamp = calculateFootprint(inv, { factors: library }).stamp;
    expect(stamp.factorDataset).toEqual({ id: "CN-DEMO", version: "2026.2", demonstration: true });
    expect(stamp.factorDatasetContentSha256).toBe(datasetContentHash(composed));
  });

  it("is frozen like any published version, and a changed one under the same version is refused", () => {
    expect(Object.isFrozen(library.get("CN-DEMO", "2026.2").includes?.[0])).toBe(true);
    expect(() => library.with({ ...CN_DEMO_2026_2, factors: CN_DEMO_2026_2.factors.slice(1) })).toThrow(DatasetVersionConflictError);
    expect(library.with(CN_DEMO_2026_2)).toBe(library);
  });
});

describe("CN-DEMO 2026.2 on CN-PUBLISHED 2026.1", () => {
  const own = CN_DEMO_2026_2.factors.map((f) => f.code);
  const publishedCodes = new Set(CN_PUBLISHED_2026_1.factors.map((f) => f.code));

  it("keeps CN-DEMO 2026.1 byte-identical (certificates cite its hash)", () => {
    const hash = datasetContentHash(DEFAULT_FACTOR_LIBRARY.get("CN-DEMO", "2026.1"));
    expect(hash).toBe(sha256Hex(canonicalJson(CN_DEMO_2026_1)));
    expect(hash).toBe(CN_DEMO_2026_1_SHA256);
    expect(CN_DEMO_2026_1.includes).toBeUndefined();
  });

  it("drops the electricity and fuel factors the published data cover, and keeps the rest of 2026.1 unchanged", () => {
    const dropped = CN_DEMO_2026_1.factors.filter((f) => !own.includes(f.code)).map((f) => f.code);
    expect(dropped.every((code) => publishedCodes.has(code))).toBe(true);
    expect(own.filter((code) => publishedCodes.has(code))).toEqual([]);
    expect(own.filter((code) => code.startsWith("EL-"))).toEqual([]);
    // Fuels table C.1 has no row for stay as they were.
    expect(own.filter((code) => code.startsWith("FUEL-"))).toEqual(["FUEL-RAW-COAL", "FUEL-REFINERY-GAS", "FUEL-COAL-TCE"]);
    for (const f of CN_DEMO_2026_2.factors) expect(f).toBe(CN_DEMO_2026_1.factors.find((x) => x.code === f.code));
    expect(CN_DEMO_2026_2.demonstration).toBe(true);
  });

  it("offers every factor code the demo examples use", () => {
    const dir = new URL("../../rules/examples/", import.meta.url);
    const codes = new Set<string>();
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      for (const m of readFileSync(new URL(name, dir), "utf8").matchAll(/"factorCode": "([^"]+)"/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(10);
    const index = library.index("CN-DEMO", "2026.2");
    expect([...codes].filter((c) => !index.has(c))).toEqual([]);
  });

  it("calculates each demo example on the published electricity and fuel factors", () => {
    for (const name of ["battery", "cement", "textile"]) {
      const inv = JSON.parse(readFileSync(new URL(`../../rules/examples/${name}-inventory.json`, import.meta.url), "utf8")) as Parameters<
        typeof calculateFootprint
      >[0];
      const result = calculateFootprint({ ...inv, factorDataset: { id: "CN-DEMO", version: "2026.2" } }, { factors: library });
      expect(result.total, name).toBeGreaterThan(0);
      for (const line of result.byLine) {
        if (line.kind === "electricity" && line.gridResolution) expect(line.factor?.code, `${name} ${line.lineId}`).toBe("EL-LC-CN-2024");
        if (line.factor?.code === "FUEL-NATURAL-GAS") expect(line.activityUnit).toBe("m3");
      }
    }
  });

  it("refuses a code no version of the union has, naming the including version", () => {
    const inv = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [material("x", 1, "t", "EL-S2-XZ-2022")] }], {
      factorDataset: { id: "CN-DEMO", version: "2026.2" },
    });
    const e = catchError(() => calculateFootprint(inv, { factors: library }));
    expect(e).toBeInstanceOf(MissingEmissionFactorError);
    expect((e as MissingEmissionFactorError).datasetKey).toBe("CN-DEMO@2026.2");
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
