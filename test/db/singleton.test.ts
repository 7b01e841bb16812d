import { describe, expect, it } from "vitest";
import { singleton } from "../../db/singleton.ts";

describe("singleton", () => {
  it("makes the value once and shares it with every other handle of the same name", () => {
    let made = 0;
    const first = singleton("test.shared", () => ({ n: ++made }));
    // A second copy of a module (another bundle, a development reload) asks by the same name.
    const second = singleton("test.shared", () => ({ n: ++made }));
    expect(first.peek()).toBeUndefined();
    expect(first.get()).toBe(second.get());
    expect(made).toBe(1);
  });

  it("can be replaced and cleared", () => {
    const value = singleton("test.replaced", () => "made");
    value.set("set");
    expect(value.get()).toBe("set");
    value.clear();
    expect(value.peek()).toBeUndefined();
    expect(value.get()).toBe("made");
    value.clear();
  });
});
