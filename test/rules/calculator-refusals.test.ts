/**
 * What the calculator refuses, and how: every refusal is a named error located at the product,
 * line and field it concerns, with a bilingual text whose Chinese is Chinese; independent errors
 * are reported together.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  calculateFootprint,
  calculateFromData,
  inventoryJsonSchema,
  InventoryLineSchema,
  parseInventory,
  PublishedInventoryLineSchema,
  STAGE_POLICIES,
  type Inventory,
  type InventoryLine,
} from "../../rules/calculator/index.ts";
import {
  FootprintOutOfRangeError,
  InvalidFieldError,
  InvalidInventoryError,
  InventoryRefusedError,
  MissingEmissionFactorError,
  NegativeAmountError,
  NonFiniteNumberError,
  RulesError,
  StageNotAllowedError,
  UnknownMemberError,
  type ErrorLocation,
} from "../../rules/errors.ts";
import { UNITS } from "../../rules/units.ts";
import { GOOD_DQ, gas, inventoryOf, material, sub } from "./helpers.ts";

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../rules/examples/${name}-inventory.json`, import.meta.url), "utf8")) as Record<string, unknown> & {
    products: Array<{ id: string; lines: Array<Record<string, unknown>> }>;
  };

/** The error a call refuses with (the test fails when it does not throw a rules error). */
function refusal(run: () => unknown): RulesError {
  try {
    run();
  } catch (e) {
    if (e instanceof RulesError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const base = { stage: "production", dataType: "primary", dataQuality: GOOD_DQ } as const;
const certificate = { number: "CQC-CF-2025-000123", kgCO2ePerDeclaredUnit: 2, declaredUnit: { quantity: 1, unit: "kg" }, gwpSet: "AR6" };

/** One line of each kind, with a negative quantity in the member named. */
const NEGATIVE_LINES: ReadonlyArray<[string, InventoryLine]> = [
  ["amount", material("m", -5, "t", "MAT-LIMESTONE-DEMO")],
  ["amount", { ...base, id: "f", kind: "fuel", amount: -1, unit: "kg", factorCode: "FUEL-RAW-COAL" }],
  ["amount", { ...base, id: "e", kind: "electricity", amount: -10, unit: "kWh", supply: { type: "grid" } }],
  ["amount", { ...base, id: "t", kind: "transport", amount: -3, unit: "tkm", factorCode: "TR-ROAD-HDT-30T-DEMO" }],
  [
    "mass.amount",
    { ...base, id: "t", kind: "transport", mass: { amount: -1, unit: "t" }, distance: { amount: 5, unit: "km" }, factorCode: "TR-ROAD-HDT-30T-DEMO" },
  ],
  [
    "distance.amount",
    { ...base, id: "t", kind: "transport", mass: { amount: 1, unit: "t" }, distance: { amount: -5, unit: "km" }, factorCode: "TR-ROAD-HDT-30T-DEMO" },
  ],
  ["amount", { ...base, id: "w", kind: "waste", amount: -2, unit: "kg", factorCode: "MAT-CARTON-DEMO" }],
  ["amount", gas("g", "co2_biogenic", -100)],
  ["amount", { ...base, id: "c", kind: "supplier_certificate", amount: -4, unit: "kg", certificate } as InventoryLine],
];

/**
 * Chinese without English: codes, ids, units and numbers are quoted or are units; nothing else in
 * Latin letters. (CO2e and the SI-style units are how Chinese texts write them too.)
 */
function expectChineseOnly(zh: string): void {
  const units = new Set([...UNITS.map((u) => u.code), "CO2e"]);
  const rest = zh
    .replace(/「[^」]*」/g, "")
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, "")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => /[A-Za-z]/.test(word) && !units.has(word));
  expect(rest, zh).toEqual([]);
  expect(zh).toMatch(/[\u4e00-\u9fff]/);
}

function expectLocated(error: RulesError, code: string, location: ErrorLocation): void {
  expect(error.code).toBe(code);
  expect(error.location).toEqual(location);
  expect(error.toJSON().errors).toEqual([{ code, message: error.detail, location }]);
  expectChineseOnly(error.detail.zh);
}

describe("a negative quantity", () => {
  it.each(NEGATIVE_LINES.map(([field, line]) => [line.kind, field, line] as const))(
    "on a %s line (%s) is a NegativeAmount error at the line",
    (_kind, field, line) => {
      const e = refusal(() => calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [line] }])));
      expect(e).toBeInstanceOf(NegativeAmountError);
      expectLocated(e, "NegativeAmount", { productId: "p", lineId: line.id, field });
      expect(e.detail.zh).toContain("不能为负数");
      expect(e.detail.en).toContain("must not be negative");
    },
  );

  it("on a sub-product line and on a product's output too", () => {
    const inv = inventoryOf([
      { id: "p", output: { amount: 1, unit: "t" }, lines: [sub("s", "q", -0.5, "t")] },
      { id: "q", output: { amount: -1, unit: "t" }, lines: [gas("g", "co2_fossil", 1)] },
    ]);
    const e = refusal(() => calculateFootprint(inv));
    expect(e).toBeInstanceOf(InventoryRefusedError);
    expect(e.errors.map((x) => [x.code, x.location])).toEqual([
      ["NegativeAmount", { productId: "q", field: "output.amount" }],
      ["NegativeAmount", { productId: "p", lineId: "s", field: "amount" }],
    ]);
  });

  it("is refused in JSON input as well, and zero stays allowed", () => {
    const data = example("cement");
    data.products[1]!.lines[0]!.amount = -1.22;
    expectLocated(
      refusal(() => calculateFromData(data)),
      "NegativeAmount",
      { productId: "clinker", lineId: "limestone", field: "amount" },
    );
    data.products[1]!.lines[0]!.amount = 0;
    expect(calculateFromData(data).result.byLine.find((l) => l.lineId === "limestone")?.kgCO2e).toBe(0);
  });
});

describe("a footprint out of the range of numbers", () => {
  it("is FootprintOutOfRange (a NonFiniteNumber error) at the line whose amount overflows", () => {
    const inv = inventoryOf([
      { id: "p", output: { amount: 1, unit: "t" }, lines: [material("rock", 1e308, "t", "MAT-LIMESTONE-DEMO"), gas("ok", "co2_fossil", 1)] },
    ]);
    const e = refusal(() => calculateFootprint(inv));
    expect(e).toBeInstanceOf(FootprintOutOfRangeError);
    expect(e).toBeInstanceOf(NonFiniteNumberError);
    expectLocated(e, "FootprintOutOfRange", { productId: "p", lineId: "rock", field: "amount" });
    expect(e.detail.zh).toContain("数值范围");
  });

  it("names each line that overflows, and the product when only the sum of its lines does", () => {
    const lines = [material("a", 1e308, "t", "MAT-LIMESTONE-DEMO"), material("b", 1e308, "t", "MAT-SHALE-DEMO")];
    const each = refusal(() => calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }])));
    expect(each.code).toBe("FootprintOutOfRange");
    expect(each.errors.map((x) => x.location?.lineId)).toEqual(["a", "b"]);
    // 1e308 kg CO2 is a number; two of them are not.
    const sum = refusal(() =>
      calculateFootprint(
        inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [gas("a", "co2_fossil", 1e308), gas("b", "co2_fossil", 1e308)] }]),
      ),
    );
    expectLocated(sum, "FootprintOutOfRange", { productId: "p" });
  });

  it("names a transport line's mass when mass × distance overflows", () => {
    const truck: InventoryLine = {
      ...base,
      id: "truck",
      kind: "transport",
      mass: { amount: 1e300, unit: "t" },
      distance: { amount: 1e300, unit: "km" },
      factorCode: "TR-ROAD-HDT-30T-DEMO",
    };
    expectLocated(
      refusal(() => calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [truck] }]))),
      "FootprintOutOfRange",
      { productId: "p", lineId: "truck", field: "mass.amount" },
    );
  });

  it("refuses a number JSON cannot hold (1e999 reads as Infinity) at its path", () => {
    const data = JSON.parse(JSON.stringify(example("cement")).replace('"amount":1.22', '"amount":1e999')) as unknown;
    const e = refusal(() => calculateFromData(data));
    expect(e).toBeInstanceOf(InvalidInventoryError);
    const [field] = e.errors as InvalidFieldError[];
    expect(field).toBeInstanceOf(InvalidFieldError);
    expect(field!.rule).toBe("finite");
    expectLocated(field!, "InvalidField", { productId: "clinker", lineId: "limestone", field: "amount" });
  });
});

describe("the published schema is strict", () => {
  it("refuses an unknown member with its path instead of dropping it", () => {
    const data = example("cement");
    data.products[1]!.lines[6]!.exclude = true;
    const e = refusal(() => parseInventory(data));
    expect(e).toBeInstanceOf(InvalidInventoryError);
    expect(e.errors).toHaveLength(1);
    const [unknown] = e.errors as UnknownMemberError[];
    expect(unknown).toBeInstanceOf(UnknownMemberError);
    expect(unknown!.path).toBe("products.1.lines.6.exclude");
    expectLocated(unknown!, "UnknownMember", { productId: "clinker", lineId: "refractory", field: "exclude" });
    // The editor's view of the same fault: a path and a message key.
    expect((e as InvalidInventoryError).toJSON().issues).toEqual([expect.objectContaining({ path: "products.1.lines.6.exclude", key: "v.invalid" })]);
  });

  it("at every depth: the root, a product, a nested object", () => {
    const data = example("cement");
    data.stagePolicy = "enforce";
    (data.products[0] as Record<string, unknown>).unit = "t";
    (data.products[0]!.lines[3]!.mass as Record<string, unknown>).amout = 1;
    const e = refusal(() => parseInventory(data));
    expect(e.errors.map((x) => [x.code, x.location])).toEqual([
      ["UnknownMember", { productId: "cement", lineId: "additives-truck", field: "mass.amout" }],
      ["UnknownMember", { productId: "cement", field: "unit" }],
      ["UnknownMember", { field: "stagePolicy" }],
    ]);
    for (const x of e.errors) expectChineseOnly(x.detail.zh);
  });

  it("publishes the same strictness: every object of the JSON Schema forbids other members", () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== "object" || node === null) return;
      const n = node as Record<string, unknown>;
      // A record keyed by an enum (per-gas values) says which names it takes with propertyNames.
      if (n.type === "object" && n.additionalProperties !== false && !n.propertyNames) open.push(path);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}.${k}`);
    };
    walk(inventoryJsonSchema(), "$");
    expect(open).toEqual([]);
  });

  it("reads a stored line with the registry record kept beside its certificate, and nothing else extra", () => {
    const stored = {
      ...base,
      id: "c",
      kind: "supplier_certificate",
      amount: 4,
      unit: "kg",
      certificate: { ...certificate, registry: { verifiedValue: "2", payloadSha256: null } },
    };
    expect(InventoryLineSchema.parse(stored)).toEqual({ ...stored, certificate });
    expect(PublishedInventoryLineSchema.safeParse(stored).success).toBe(false);
    const typo = InventoryLineSchema.safeParse({ ...stored, exclude: true });
    expect(typo.error?.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys", keys: ["exclude"] })]);
  });
});

describe("independent errors are reported at once", () => {
  it("four faults in a file are four errors, each located", () => {
    const data = example("cement");
    const clinker = data.products[1]!.lines;
    clinker[1]!.exclude = true; // shale
    clinker[0]!.amount = -1; // limestone
    clinker[3]!.factorCode = "NO-SUCH-COAL"; // kiln-coal
    clinker[4]!.stage = "use"; // kiln-power, outside the cradle-to-gate boundary
    const e = refusal(() => calculateFromData(data, { stagePolicy: "enforce" }));
    expect(e).toBeInstanceOf(InventoryRefusedError);
    expect(e.code).toBe("InventoryRefused");
    const where = (lineId: string, field: string) => ({ productId: "clinker", lineId, field });
    expect(e.errors.map((x) => [x.code, x.location])).toEqual([
      ["UnknownMember", where("shale", "exclude")],
      ["NegativeAmount", where("limestone", "amount")],
      ["MissingEmissionFactor", where("kiln-coal", "factorCode")],
      ["StageNotAllowed", where("kiln-power", "stage")],
    ]);
    expect(e.toJSON().errors).toHaveLength(4);
    for (const x of e.errors) expectChineseOnly(x.detail.zh);
    expect(e.detail.zh).toMatch(/^清单有 4 处错误/);
    expect(e.detail.en).toMatch(/^The inventory has 4 errors/);
  });

  it("a parsed inventory's faults likewise, with the code they share when they share one", () => {
    const lines = [
      material("a", 1, "kg", "NO-SUCH-A"),
      material("b", 1, "kg", "NO-SUCH-B"),
      material("c", 1, "kWh", "MAT-LIMESTONE-DEMO"),
      { ...gas("d", "co2_fossil", 1), stage: "use" } as InventoryLine,
    ];
    const e = refusal(() => calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }]), { stagePolicy: "enforce" }));
    expect(e.errors.map((x) => [x.code, x.location?.lineId, x.location?.field])).toEqual([
      ["MissingEmissionFactor", "a", "factorCode"],
      ["MissingEmissionFactor", "b", "factorCode"],
      ["UnitMismatch", "c", "unit"],
      ["StageNotAllowed", "d", "stage"],
    ]);
    for (const x of e.errors) expectChineseOnly(x.detail.zh);
    const same = refusal(() => calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: lines.slice(0, 2) }])));
    expect(same).toBeInstanceOf(InventoryRefusedError);
    expect(same.code).toBe("MissingEmissionFactor");
    // One error is that error itself, as before.
    expect(refusal(() => calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: lines.slice(0, 1) }])))).toBeInstanceOf(
      MissingEmissionFactorError,
    );
  });

  it("the header's unknown references together, each at its member", () => {
    const inv: Inventory = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [] }], {
      pcr: { code: "PCR-CN-NOTHING", version: "9.9.9" },
      factorDataset: { id: "CN-NONE", version: "2020.1" },
      location: { region: "XX" },
    });
    const e = refusal(() => calculateFootprint(inv));
    expect(e.errors.map((x) => [x.code, x.location?.field])).toEqual([
      ["UnknownPcr", "pcr"],
      ["UnknownFactorDataset", "factorDataset"],
      ["UnknownRegion", "location.region"],
    ]);
    for (const x of e.errors) expectChineseOnly(x.detail.zh);
  });

  it("schema faults in Chinese without English, each with the editor's message key", () => {
    const data = example("cement");
    const line = data.products[1]!.lines[0]!;
    line.amount = "一点二";
    line.stage = "moon";
    delete line.unit;
    data.gwpSet = "AR7";
    const e = refusal(() => parseInventory(data)) as InvalidInventoryError;
    expect(e.issues.map((i) => [i.path, i.key])).toEqual([
      ["gwpSet", "v.choice"],
      ["products.1.lines.0.stage", "v.choice"],
      ["products.1.lines.0.amount", "v.number"],
      ["products.1.lines.0.unit", "v.required"],
    ]);
    for (const x of e.errors) expectChineseOnly(x.detail.zh);
    expectChineseOnly(e.detail.zh);
  });
});

describe("the stage policy", () => {
  const outside = inventoryOf([
    {
      id: "p",
      output: { amount: 1, unit: "t" },
      lines: [gas("ok", "co2_fossil", 1), { ...gas("x", "co2_fossil", 2), stage: "use" } as InventoryLine],
    },
  ]);

  it("warns by default: the line is counted and named in a warning (the editor keeps showing it)", () => {
    expect(STAGE_POLICIES).toEqual(["warn", "enforce"]);
    for (const result of [calculateFootprint(outside), calculateFootprint(outside, { stagePolicy: "warn" })]) {
      expect(result.total).toBe(3);
      expect(result.warnings).toContainEqual(expect.objectContaining({ code: "stage_outside_boundary", lineIds: ["x"] }));
    }
  });

  it("refuses each line outside the boundary when enforcing, at its stage", () => {
    const e = refusal(() => calculateFootprint(outside, { stagePolicy: "enforce" }));
    expect(e).toBeInstanceOf(StageNotAllowedError);
    expectLocated(e, "StageNotAllowed", { productId: "p", lineId: "x", field: "stage" });
    expect(e.detail.zh).toContain("产品使用");
  });
});
