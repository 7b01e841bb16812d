import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalMemo, canonicalJson, contentHash, deepFreeze } from "../../rules/canonical.ts";
import { NonFiniteNumberError } from "../../rules/errors.ts";
import { formatPercent, formatQuantity, roundToDecimals, roundToSignificant, toDecimalString } from "../../rules/format.ts";

describe("canonical JSON (RFC 8785 style)", () => {
  it("sorts members at every depth by UTF-16 code units and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ "€": 1, "\r": 2, "1": 3, ö: 4 })).toBe('{"\\r":2,"1":3,"ö":4,"€":1}');
  });
  it("writes numbers in shortest round-trip form", () => {
    expect(canonicalJson([1e21, 0.1, -0, 1e-7, 333333333.3333333])).toBe("[1e+21,0.1,0,1e-7,333333333.3333333]");
  });
  it("refuses non-finite numbers and is insensitive to member order", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(NonFiniteNumberError);
    expect(contentHash({ a: 1, b: [1, 2] })).toBe(contentHash({ b: [1, 2], a: 1 }));
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(() => contentHash({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(NonFiniteNumberError);
  });
  it("matches the definition written plainly, and hashes exactly that text piece by piece", () => {
    const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
    // Reference: the definition written plainly — own members sorted, joined; primitives as JSON.
    // (Not a key-sorted copy through JSON.stringify: objects list integer-like keys first.)
    const reference = (v: unknown): string => {
      if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : reference(x))).join(",")}]`;
      if (v === null || typeof v !== "object") return JSON.stringify(v);
      const record = v as Record<string, unknown>;
      const names = Object.keys(record)
        .sort()
        .filter((k) => record[k] !== undefined);
      return `{${names.map((k) => `${JSON.stringify(k)}:${reference(record[k])}`).join(",")}}`;
    };
    const withHoles = fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.jsonValue())));
    fc.assert(
      fc.property(withHoles, (value) => canonicalJson(value) === reference(value) && contentHash(value) === sha(reference(value))),
      { numRuns: 500 },
    );
    // Found by the property above: one object owning "__proto__" must not add it to the others.
    const own = JSON.parse('{"a":{"__proto__":null},"b":{}}') as unknown;
    expect(canonicalJson(own)).toBe('{"a":{"__proto__":null},"b":{}}');
    // Every UTF-16 code unit, including controls, quotes, backslashes and lone surrogates, in
    // member names and values: the writer encodes UTF-8 itself and must agree with JSON.stringify.
    const anyCodeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    const unicodeValue = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        anyCodeUnits,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.array(tie("node")),
        fc.dictionary(anyCodeUnits, tie("node")),
      ),
    })).node;
    fc.assert(
      fc.property(unicodeValue, (value) => canonicalJson(value) === reference(value) && contentHash(value) === sha(reference(value))),
      { numRuns: 500 },
    );
    // Text longer than one 64 KiB write buffer, and many small pieces crossing buffer ends.
    const long = { text: "长".repeat(30_000) + "é".repeat(20_000), list: Array.from({ length: 20_000 }, (_, i) => `${i}\u{1F600}`) };
    expect(canonicalJson(long)).toBe(reference(long));
    expect(contentHash(long)).toBe(sha(reference(long)));
    const large = Array.from({ length: 5000 }, (_, i) => ({ name: `线 ${i} "q"\n`, amount: i / 7, ok: i % 2 === 0, none: null, skip: undefined }));
    expect(contentHash(large)).toBe(sha(reference(large)));
  });
});

describe("canonical memo (texts of deep-frozen objects kept between hashes)", () => {
  const line = (i: number) => ({
    id: `line-${i}`,
    stage: "production",
    kind: "material",
    amount: i / 3,
    unit: "kg",
    factorCode: "MAT-STEEL-DEMO",
    note: "说明",
    dataQuality: { reliability: 1, completeness: 2 },
  });

  it("gives the same hash as writing everything, and remembers each deep-frozen line", () => {
    const memo = new CanonicalMemo();
    const lines = Array.from({ length: 3000 }, (_, i) => deepFreeze(line(i)));
    const input = { products: [{ id: "p", lines }] };
    const plain = contentHash(input);
    expect(contentHash(input, memo)).toBe(plain);
    // Some lines straddle the end of a 64 KiB write buffer and are written again next time; most are kept.
    const kept = lines.filter((l) => memo.get(l) !== undefined).length;
    expect(kept).toBeGreaterThan(2900);
    for (const l of lines.filter((l) => memo.get(l))) expect(new TextDecoder().decode(memo.get(l))).toBe(canonicalJson(l));
    expect(contentHash(input, memo)).toBe(plain);
    // A new line among remembered ones changes the hash exactly as it should.
    const edited = { products: [{ id: "p", lines: [...lines.slice(0, 10), deepFreeze({ ...line(10), amount: 42 }), ...lines.slice(11)] }] };
    expect(contentHash(edited, memo)).toBe(contentHash(JSON.parse(JSON.stringify(edited))));
    expect(contentHash(edited, memo)).not.toBe(plain);
  });

  it("never remembers what can still change: unfrozen objects, or frozen ones holding unfrozen members", () => {
    const memo = new CanonicalMemo();
    const open = line(1);
    const shallow = Object.freeze(line(2)); // frozen, but its dataQuality object is not
    const withArray = Object.freeze({ ...deepFreeze(line(3)), tags: ["a", "b"] }); // frozen, but its array is not
    const input = { lines: [open, shallow, withArray] };
    const first = contentHash(input, memo);
    expect(memo.get(open)).toBeUndefined();
    expect(memo.get(shallow)).toBeUndefined();
    expect(memo.get(withArray)).toBeUndefined();
    open.amount = 7;
    shallow.dataQuality.reliability = 5;
    withArray.tags.push("c");
    const second = contentHash(input, memo);
    expect(second).not.toBe(first);
    expect(second).toBe(contentHash(JSON.parse(JSON.stringify(input))));
  });

  it("agrees with the plain hash on random deep-frozen data", () => {
    const memo = new CanonicalMemo();
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 30 }), (rows) => {
        const frozen = deepFreeze(structuredClone(rows));
        const once = contentHash(frozen, memo);
        return once === contentHash(rows) && contentHash(frozen, memo) === once;
      }),
      { numRuns: 300 },
    );
  });
});

describe("decimal presentation", () => {
  it("expands exponents and keeps the exact shortest decimal", () => {
    expect(toDecimalString(1e-7)).toBe("0.0000001");
    expect(toDecimalString(1.5e21)).toBe("1500000000000000000000");
    expect(toDecimalString(-0)).toBe("0");
    expect(toDecimalString(645.0587532000001)).toBe("645.0587532000001");
  });
  it("rounds the decimal, not the binary value, half away from zero", () => {
    expect(roundToSignificant(2.675, 3)).toBe("2.68");
    expect(roundToSignificant(1.005, 3)).toBe("1.01");
    expect(roundToSignificant(-2.675, 3)).toBe("-2.68");
    expect(roundToSignificant(999.96, 4)).toBe("1000");
    expect(roundToSignificant(0.5, 3)).toBe("0.500");
    expect(roundToSignificant(0.09996, 2)).toBe("0.10");
    expect(roundToSignificant(0.000123456, 2)).toBe("0.00012");
    expect(roundToSignificant(123456, 2)).toBe("120000");
    expect(roundToDecimals(0.1 + 0.2, 2)).toBe("0.30");
    expect(roundToDecimals(-0.004, 2)).toBe("0.00");
    expect(roundToDecimals(9.995, 2)).toBe("10.00");
    expect(formatPercent(0.11)).toBe("11.00");
    expect(formatQuantity(645.0587532000001, "kgCO2e", 4)).toEqual({ value: "645.1", unit: "kgCO2e" });
  });
});
