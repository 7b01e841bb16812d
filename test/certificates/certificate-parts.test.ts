/**
 * The parts of issuing and verification that need no database: the label-specific facts a
 * reduced-carbon and a carbon-neutral certificate attest (they must pass the payload schema), the
 * per-client token bucket, and the field differences a tampered upload is explained with.
 */
import { describe, expect, it } from "vitest";
import { labelFacts } from "../../app/services/certificates/issuer.server.ts";
import { RateLimiter } from "../../app/services/certificates/rate-limit.server.ts";
import { differences } from "../../app/services/certificates/verify.server.ts";
import { LabelFactsSchema } from "../../workflows/certificates/payload.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import type { CertificationContext } from "../../workflows/certification/types.ts";
import type { CertificateToIssue } from "../../workflows/certificates/issuer.ts";

const textile = PCR_CATALOGUE.get("PCR-CN-TEXTILE-FABRIC", "1.0.0");
const base: CertificateToIssue = {
  caseId: "00000000-0000-4000-8000-000000000001",
  number: "CCDC-RC-2026-000001",
  labelType: "RC",
  cbOrganizationId: "00000000-0000-4000-8000-000000000002",
  productId: "00000000-0000-4000-8000-000000000003",
  pcr: { code: textile.code, version: textile.version },
  declaredUnit: { quantity: textile.declaredUnit.quantity, unit: textile.declaredUnit.unit },
  verifiedKgCO2ePerDeclaredUnit: 10.5,
  grade: null,
  issuedOn: "2026-06-01",
  validUntil: "2028-05-31",
};
const earlier = (number: string, value: number, issuedOn: string) => ({
  number,
  verifiedValue: value,
  pcrCode: textile.code,
  declaredUnit: base.declaredUnit,
  issuedOn,
});
const context = (over: Partial<CertificationContext>) =>
  ({ earlierCertificates: [], claim: null, credits: [], ...over }) as unknown as CertificationContext;

describe("label facts", () => {
  it("RC: the comparable earlier certificates oldest first and the reduction against the latest", () => {
    const facts = labelFacts(
      base,
      textile,
      context({
        earlierCertificates: [
          earlier("CCDC-CF-2025-000004", 12, "2025-03-04"),
          earlier("CCDC-CF-2024-000011", 13.07, "2024-03-05"),
          { ...earlier("CCDC-CF-2025-000009", 9, "2025-05-01"), pcrCode: "PCR-CN-CEMENT" },
        ],
      }),
    );
    expect(facts).toEqual({
      type: "RC",
      baselineCertificates: [
        { number: "CCDC-CF-2024-000011", value: "13.07", issuedOn: "2024-03-05" },
        { number: "CCDC-CF-2025-000004", value: "12", issuedOn: "2025-03-04" },
      ],
      reductionPercent: "12.50",
      minimumReductionPercent: "11.00",
      demonstrationMinimum: textile.labels.reducedCarbon.demonstration,
    });
    expect(LabelFactsSchema.safeParse(facts).success).toBe(true);
    expect(() => labelFacts(base, textile, context({ earlierCertificates: [earlier("CCDC-CF-2025-000004", 12, "2025-03-04")] }))).toThrow(
      /two earlier certificates/,
    );
  });

  it("CN: period, quantity, emissions in tCO2e and every retired block with its size", () => {
    const facts = labelFacts(
      { ...base, labelType: "CN", number: "CCDC-CN-2026-000001" },
      textile,
      context({
        claim: { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 120000 },
        credits: [
          { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2025-ZJ-", first: 40001, last: 41000, vintage: 2025, retiredOn: "2026-02-18" },
          { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2025-AH-", first: 1, last: 300, vintage: 2025, retiredOn: "2026-02-18" },
        ],
      }),
    );
    expect(facts).toMatchObject({
      type: "CN",
      period: { start: "2025-01-01", end: "2025-12-31" },
      quantity: { value: "120000" },
      emissions: { value: "1260", unit: "tCO2e" },
      creditsRetired: { value: "1300", unit: "tCO2e" },
    });
    expect((facts as { credits: { serialPrefix: string; quantity: string }[] }).credits.map((c) => [c.serialPrefix, c.quantity])).toEqual([
      ["CCER-2025-AH-", "300"],
      ["CCER-2025-ZJ-", "1000"],
    ]);
    expect(LabelFactsSchema.safeParse(facts).success).toBe(true);
  });
});

describe("per-client token bucket", () => {
  it("allows a burst, then one request per refill interval, per client", () => {
    const limiter = new RateLimiter({ capacity: 3, perSecond: 1 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take("a", t0).allowed)).toEqual([true, true, true]);
    expect(limiter.take("a", t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("b", t0).allowed).toBe(true);
    expect(limiter.take("a", t0 + 1_000).allowed).toBe(true);
    expect(limiter.take("a", t0 + 1_000).allowed).toBe(false);
  });

  it("stays bounded in memory however many clients come", () => {
    const limiter = new RateLimiter({ capacity: 2, perSecond: 1 }, { maxClients: 100 });
    for (let i = 0; i < 1000; i++) limiter.take(`client-${i}`, 5_000 + i);
    expect(limiter.take("client-999", 6_000).allowed).toBe(true);
  });
});

describe("differences of a tampered file", () => {
  it("names each changed leaf by path, with both values", () => {
    expect(differences({ a: { b: "1", c: ["x"] }, d: "same" }, { a: { b: "2", c: ["y"] }, d: "same", e: true })).toEqual([
      { path: "a.b", file: "1", registry: "2" },
      { path: "a.c.0", file: "x", registry: "y" },
      { path: "e", file: "—", registry: "true" },
    ]);
  });
});
