/**
 * The canonical JSON that certificates are signed over must be RFC 8785 (JCS) exactly, or another
 * implementation would compute different bytes and reject a genuine signature. These are the
 * RFC's own examples (§3.2.2, §3.2.3) and its number serialisation table (Appendix B).
 */
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../rules/canonical.ts";
import { NonFiniteNumberError } from "../../rules/errors.ts";
import { canonicalPayload } from "../../workflows/certificates/payload.ts";

const fromBits = (hex: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
};

describe("RFC 8785 canonical JSON", () => {
  it("serialises the §3.2.2 example exactly", () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts members by UTF-16 code units (§3.2.3), not by code points", () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",' +
        ' "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    const text = canonicalJson(input);
    expect(text).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // By code point U+1F600 would sort after U+FB33; UTF-16 puts its lead surrogate 0xD83D first.
    expect(text.indexOf("😀")).toBeLessThan(text.indexOf("\ufb33"));
  });

  it("writes numbers as Appendix B lists them", () => {
    const table: [string, string][] = [
      ["0000000000000000", "0"],
      ["8000000000000000", "0"],
      ["0000000000000001", "5e-324"],
      ["8000000000000001", "-5e-324"],
      ["7fefffffffffffff", "1.7976931348623157e+308"],
      ["ffefffffffffffff", "-1.7976931348623157e+308"],
      ["4340000000000000", "9007199254740992"],
      ["c340000000000000", "-9007199254740992"],
      ["4430000000000000", "295147905179352830000"],
      ["44b52d02c7e14af5", "9.999999999999997e+22"],
      ["44b52d02c7e14af6", "1e+23"],
      ["44b52d02c7e14af7", "1.0000000000000001e+23"],
      ["444b1ae4d6e2ef4e", "999999999999999700000"],
      ["444b1ae4d6e2ef4f", "999999999999999900000"],
      ["444b1ae4d6e2ef50", "1e+21"],
      ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
      ["3eb0c6f7a0b5ed8d", "0.000001"],
      ["41b3de4355555553", "333333333.3333332"],
      ["41b3de4355555554", "333333333.33333325"],
      ["41b3de4355555555", "333333333.3333333"],
      ["41b3de4355555556", "333333333.3333334"],
      ["41b3de4355555557", "333333333.33333343"],
      ["becbf647612f3696", "-0.0000033333333333333333"],
      ["43143ff3c1cb0959", "1424953923781206.2"],
    ];
    for (const [bits, expected] of table) expect(canonicalJson(fromBits(bits)), bits).toBe(expected);
    for (const bits of ["7fffffffffffffff", "7ff0000000000000"])
      expect(() => canonicalJson({ n: fromBits(bits) }), bits).toThrow(NonFiniteNumberError);
  });

  it("sorts nested members and leaves array order alone; certificates sign exactly this text", () => {
    const value = { b: [3, { z: 1, a: 2 }], a: { "€": 1, $: 2 } };
    expect(canonicalJson(value)).toBe('{"a":{"$":2,"€":1},"b":[3,{"a":2,"z":1}]}');
    expect(canonicalPayload(value)).toBe(canonicalJson(value));
  });
});
