import { describe, expect, it } from "vitest";
import { creditCodeCheckCharacter, creditCodeProblem } from "../../rules/credit-code.ts";

describe("unified social credit code (GB 32100-2015)", () => {
  it.each(["914403001922038216", "9144030071526726XG", "91330100716105852F"])("accepts the published code %s", (code) => {
    expect(creditCodeProblem(code)).toBeNull();
  });

  it("computes the check character from the first 17 characters", () => {
    expect(creditCodeCheckCharacter("91330100716105852")).toBe("F");
    expect(creditCodeCheckCharacter("9144030071526726X")).toBe("G");
  });

  it("names what is wrong", () => {
    expect(creditCodeProblem("91330100716105852")).toBe("length");
    expect(creditCodeProblem("9133010071610585IF")).toBe("characters"); // I is not in the alphabet
    expect(creditCodeProblem("91330100716105852G")).toBe("checkCharacter");
  });
});
