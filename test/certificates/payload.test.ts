import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { demoCertificatePayload } from "../../app/certificate-files/demo.ts";
import { certificateDecimal, footprintFactsFromResult } from "../../workflows/certificates/from-result.ts";
import { hanziHyphenation, lineBreakParts } from "../../app/certificate-files/line-breaks.ts";
import {
  canonicalPayload,
  CertificatePayloadSchema,
  InvalidCertificatePayloadError,
  parseCertificatePayload,
} from "../../workflows/certificates/payload.ts";
import { calculateFootprint, parseInventory } from "../../rules/calculator/index.ts";

const problems = (value: unknown): string[] => {
  try {
    parseCertificatePayload(value);
    return [];
  } catch (error) {
    if (error instanceof InvalidCertificatePayloadError) return [...error.problems];
    throw error;
  }
};

describe("certificate payload", () => {
  const payload = demoCertificatePayload();

  it("carries the demo battery pack's calculated footprint, stamped with its versions", () => {
    const result = calculateFootprint(parseInventory(JSON.parse(readFileSync("rules/examples/battery-inventory.json", "utf8"))));
    expect(payload).toMatchObject({
      schema: "carbonlabel.certificate.v1",
      number: "CCDC-CF-2026-000001",
      labelType: "CF",
      holder: { creditCode: "91330110MA2H7K8L3Y" },
      pcr: { code: "PCR-CN-LIB-EV", version: "1.0.0", contentSha256: result.stamp.pcr.contentSha256 },
      declaredUnit: { quantity: "1", unit: "kWh" },
      footprint: { value: certificateDecimal(result.total), unit: "kgCO2e" },
      grade: { grade: "C", demonstration: true },
      versions: { factorDataset: { id: "CN-DEMO", version: "2026.2", demonstration: true }, gwpSet: "AR6", inputSha256: result.stamp.inputSha256 },
      issuer: { cbCode: "CCDC", approvalNumber: "CNCA-R-2025-DEMO-001" },
      issuedOn: "2026-03-02",
      validUntil: "2028-03-01",
    });
    expect(payload.footprint.value).toBe("94.9");
  });

  it("holds no JSON numbers: every quantity is a decimal string", () => {
    expect(canonicalPayload(payload)).not.toMatch(/:-?\d/);
    expect(
      footprintFactsFromResult(calculateFootprint(parseInventory(JSON.parse(readFileSync("rules/examples/cement-inventory.json", "utf8")))), 3)
        .footprint.value,
    ).toMatch(/^\d+(\.\d+)?$/);
    expect(certificateDecimal(0.000012345678)).toBe("0.00001235");
    expect(certificateDecimal(1234567)).toBe("1235000");
    expect(certificateDecimal(2.5)).toBe("2.5");
  });

  it("refuses a status, or any member the schema does not know", () => {
    expect(problems({ ...payload, status: "valid" }).join()).toMatch(/status/);
    expect(problems({ ...payload, footprint: { ...payload.footprint, note: "x" } }).join()).toMatch(/note/);
  });

  it("names the field and rule of each problem", () => {
    expect(problems({ ...payload, number: "CCDC-LC-2025-000001" })).toEqual([
      "number: names label type LC, not CF",
      "number: names year 2025, not the issue year 2026",
    ]);
    expect(problems({ ...payload, footprint: { value: "9.7e1", unit: "kgCO2e" } })).toEqual([
      "footprint.value: must be a plain decimal string such as 97.33",
    ]);
    expect(problems({ ...payload, footprint: { value: 97.33, unit: "kgCO2e" } })[0]).toMatch(/^footprint\.value:/);
    expect(problems({ ...payload, holder: { ...payload.holder, creditCode: "91330110MA2H7K8L3X" } })).toEqual([
      "holder.creditCode: is not a valid unified social credit code (GB 32100-2015)",
    ]);
    expect(problems({ ...payload, validUntil: payload.issuedOn })).toEqual(["validUntil: must be after the issue date"]);
    expect(problems({ ...payload, labelFacts: { type: "CN" } }).join()).toMatch(/labelFacts/);
    expect(problems({ ...payload, issuer: { ...payload.issuer, cbCode: "HBDC" } })).toEqual(["number: begins with CCDC, not the issuer's code HBDC"]);
  });

  it("refuses strings RFC 8785 cannot canonicalise the same everywhere (lone surrogates) and control characters", () => {
    expect(problems({ ...payload, product: { ...payload.product, model: "HL\ud800" } })).toEqual([
      "product.model: contains a lone UTF-16 surrogate (not I-JSON)",
    ]);
    expect(problems({ ...payload, product: { ...payload.product, model: "HL\n1" } })).toEqual(["product.model: contains a control character"]);
    expect(CertificatePayloadSchema.safeParse({ ...payload, product: { ...payload.product, model: "电池 😀" } }).success).toBe(true);
  });

  it("checks the label-specific facts of RC and CN", () => {
    const rc = {
      ...payload,
      number: "CCDC-RC-2026-000001",
      labelType: "RC",
      labelFacts: {
        type: "RC",
        baselineCertificates: [{ number: "CCDC-CF-2024-000003", value: "112.1", issuedOn: "2024-03-01" }],
        reductionPercent: "13.18",
        minimumReductionPercent: "11.00",
        demonstrationMinimum: true,
      },
    };
    expect(problems(rc)).toEqual(["labelFacts.baselineCertificates: Too small: expected array to have >=2 items"]);
    const cn = {
      ...payload,
      number: "CCDC-CN-2026-000001",
      labelType: "CN",
      grade: null,
      labelFacts: {
        type: "CN",
        period: { start: "2025-01-01", end: "2025-12-31" },
        quantity: { value: "1000", unit: "kWh" },
        emissions: { value: "97.33", unit: "tCO2e" },
        creditsRetired: { value: "98", unit: "tCO2e" },
        credits: [
          {
            registry: "CCER",
            programme: "CCER",
            serialPrefix: "CCER-2024-",
            first: "1098",
            last: "1001",
            vintage: "2024",
            retiredOn: "2026-01-15",
            quantity: "98",
          },
        ],
      },
    };
    expect(problems(cn)).toEqual(["labelFacts.credits.0.last: is before the first serial"]);
  });
});

describe("Chinese line breaking in the PDF", () => {
  it("allows a break between hanzi but keeps Latin words, numbers and codes whole", () => {
    expect(lineBreakParts("Hualv")).toEqual(["Hualv"]);
    expect(lineBreakParts("经核查的碳足迹")).toEqual(["经", "核", "查", "的", "碳", "足", "迹"]);
    expect(lineBreakParts("符合PCR-CN-LIB-EV@1.0.0的要求")).toEqual(["符", "合", "PCR-CN-LIB-EV@1.0.0", "的", "要", "求"]);
  });

  it("separates the parts with empty ones, which the renderer breaks at without printing a hyphen", () => {
    expect(hanziHyphenation("特发此证。")).toEqual(["特", "", "发", "", "此", "", "证。"]);
    expect(hanziHyphenation("Certificate")).toEqual(["Certificate"]);
    expect(hanziHyphenation("证")).toEqual(["证"]);
  });

  it("never starts a line with closing punctuation nor ends one with opening punctuation", () => {
    expect(lineBreakParts("特发此证。")).toEqual(["特", "发", "此", "证。"]);
    expect(lineBreakParts("状态（有效、暂停）不")).toEqual(["状", "态", "（有", "效、", "暂", "停）", "不"]);
  });
});
