import { describe, expect, it } from "vitest";
import { crossSiteRequestRefusal } from "../../app/utils/cross-site.ts";

describe("cross-site request protection", () => {
  const host = "carbonlabel.example.cn";
  it("lets reads through whatever their origin", () => {
    expect(crossSiteRequestRefusal("GET", { origin: "https://evil.example" }, host)).toBeNull();
  });
  it("accepts a same-origin form post", () => {
    expect(crossSiteRequestRefusal("POST", { origin: `https://${host}`, "sec-fetch-site": "same-origin" }, host)).toBeNull();
  });
  it("refuses a post from another site by Origin", () => {
    expect(crossSiteRequestRefusal("POST", { origin: "https://evil.example" }, host)).toMatch(/Origin/);
  });
  it("refuses a post from another site by Sec-Fetch-Site even without Origin", () => {
    expect(crossSiteRequestRefusal("POST", { "sec-fetch-site": "cross-site" }, host)).toMatch(/Sec-Fetch-Site/);
  });
  it("refuses an opaque origin", () => {
    expect(crossSiteRequestRefusal("DELETE", { origin: "null" }, host)).not.toBeNull();
  });
  it("lets a non-browser client (no Origin, no Sec-Fetch-Site) through: it carries no victim's cookies", () => {
    expect(crossSiteRequestRefusal("POST", {}, host)).toBeNull();
  });
});
