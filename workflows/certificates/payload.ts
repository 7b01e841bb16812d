/**
 * The signed content of a certificate (DESIGN.md §6): what the certification body attests, and
 * nothing that changes afterwards. Status (valid, suspended, withdrawn, expired) lives beside the
 * certificate in the registry and is never part of this payload.
 *
 * Every quantity is a plain decimal string, never a JSON number: the signature covers the RFC 8785
 * canonical form, and without numbers that form depends only on member order and string escaping,
 * which any language reproduces exactly (RFC 8785's number serialisation is the part other
 * implementations most often get wrong). Decimal strings are also what the database stores.
 */
import { z } from "zod";
import { canonicalJson } from "../../rules/canonical.ts";
import { GASES, GWP_SET_IDS } from "../../rules/gwp.ts";
import { DQR_RATINGS, LABEL_TYPES } from "../../rules/pcr/schema.ts";
import { STAGES } from "../../rules/stages.ts";
import { creditCodeProblem } from "../../rules/credit-code.ts";

export const CERTIFICATE_SCHEMA_ID = "carbonlabel.certificate.v1";

/** `{CB}-{CF|LC|RC|CN}-{year}-{sequence}`, e.g. CCDC-CF-2026-000001. */
export const CERTIFICATE_NUMBER_PATTERN = /^([A-Z0-9]{2,10})-(CF|LC|RC|CN)-(\d{4})-(\d{1,10})$/;

// Lone UTF-16 surrogates are not I-JSON (RFC 7493), which RFC 8785 requires; C0 controls and DEL
// have no business in a name or code printed on a certificate.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), "contains a lone UTF-16 surrogate (not I-JSON)")
    .refine((s) => !CONTROL.test(s), "contains a control character");
const Name = Text(200).min(1);
const Bilingual = z.strictObject({ zh: Name, en: Name });

/** Plain decimal: optional minus, no leading zeros, no exponent, no plus sign ("97.33", "0.5", "-1"). */
export const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const Decimal = z.string().regex(DECIMAL_PATTERN, "must be a plain decimal string such as 97.33");
const NonNegativeDecimal = Decimal.refine((s) => !s.startsWith("-"), "must not be negative");
const Digits = z.string().regex(/^(0|[1-9]\d{0,17})$/, "must be a whole number written in digits");

const IsoDate = z.iso.date();
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase hex SHA-256");
const CreditCode = z.string().refine((code) => creditCodeProblem(code) === null, "is not a valid unified social credit code (GB 32100-2015)");

const Party = z.strictObject({
  name: Bilingual,
  /** 统一社会信用代码; null for an organization registered outside mainland China. */
  creditCode: CreditCode.nullable(),
});

const ProductIdentifier = z.strictObject({
  scheme: z.enum(["GTIN", "internal"]),
  value: Text(64).min(1),
});

const Quantity = <U extends string>(unit: z.ZodType<U>) => z.strictObject({ value: Decimal, unit });

const BenchmarkFacts = z.strictObject({
  type: z.literal("LC"),
  /** The PCR version's low-carbon benchmark the verified value was compared with. */
  benchmark: z.strictObject({ value: NonNegativeDecimal, unit: z.literal("kgCO2e"), demonstration: z.boolean() }),
});

const ReductionFacts = z.strictObject({
  type: z.literal("RC"),
  /** Earlier footprint certificates of the same product, PCR code and declared unit, oldest first. */
  baselineCertificates: z.array(z.strictObject({ number: z.string().regex(CERTIFICATE_NUMBER_PATTERN), value: Decimal, issuedOn: IsoDate })).min(2),
  /** Reduction of the verified value against the latest baseline, in per cent. */
  reductionPercent: Decimal,
  minimumReductionPercent: NonNegativeDecimal,
  demonstrationMinimum: z.boolean(),
});

const RetiredCreditBlock = z.strictObject({
  registry: Name,
  programme: Name,
  serialPrefix: Text(64),
  first: Digits,
  last: Digits,
  vintage: z.string().regex(/^\d{4}$/),
  retiredOn: IsoDate,
  /** tCO2e (1 credit = 1 t CO2e). */
  quantity: NonNegativeDecimal,
});

const NeutralityFacts = z.strictObject({
  type: z.literal("CN"),
  period: z.strictObject({ start: IsoDate, end: IsoDate }),
  /** Declared units produced or sold in the period. */
  quantity: z.strictObject({ value: NonNegativeDecimal, unit: Name }),
  emissions: Quantity(z.literal("tCO2e")),
  creditsRetired: Quantity(z.literal("tCO2e")),
  credits: z.array(RetiredCreditBlock).min(1),
});

const FootprintFacts = z.strictObject({ type: z.literal("CF") });

export const LabelFactsSchema = z.discriminatedUnion("type", [FootprintFacts, BenchmarkFacts, ReductionFacts, NeutralityFacts]);

export const CertificatePayloadSchema = z
  .strictObject({
    schema: z.literal(CERTIFICATE_SCHEMA_ID),
    number: z.string().regex(CERTIFICATE_NUMBER_PATTERN, "must look like CCDC-CF-2026-000001"),
    labelType: z.enum(LABEL_TYPES),
    holder: Party,
    producer: Party,
    product: z.strictObject({
      name: Bilingual,
      model: Text(100),
      identifiers: z.array(ProductIdentifier).max(10),
    }),
    pcr: z.strictObject({
      code: Text(64).min(1),
      version: z.string().regex(/^\d+\.\d+\.\d+$/),
      name: Bilingual,
      contentSha256: Sha256Hex,
    }),
    declaredUnit: z.strictObject({ quantity: NonNegativeDecimal, unit: Text(32).min(1) }),
    /** The verified footprint per declared unit. */
    footprint: Quantity(z.literal("kgCO2e")),
    stages: z.array(z.strictObject({ stage: z.enum(STAGES), value: Decimal, sharePercent: Decimal })).min(1),
    gases: z.array(z.strictObject({ gas: z.enum([...GASES, "co2e_aggregated"]), value: Decimal, massKg: Decimal.nullable() })).min(1),
    dataQuality: z.strictObject({
      rating: z.enum(DQR_RATINGS),
      dqr: NonNegativeDecimal,
      primaryDataSharePercent: NonNegativeDecimal,
    }),
    grade: z.strictObject({ grade: Text(8).min(1), label: Bilingual, demonstration: z.boolean() }).nullable(),
    labelFacts: LabelFactsSchema,
    versions: z.strictObject({
      factorDataset: z.strictObject({ id: Text(64).min(1), version: Text(32).min(1), demonstration: z.boolean() }),
      gwpSet: z.enum(GWP_SET_IDS),
      calculator: z.strictObject({ name: Text(64).min(1), version: Text(32).min(1) }),
      /** SHA-256 of the canonical calculator input: ties the certificate to the exact inventory. */
      inputSha256: Sha256Hex,
    }),
    issuer: z.strictObject({
      cbCode: z.string().regex(/^[A-Z0-9]{2,10}$/),
      name: Bilingual,
      /** CNCA approval number of the certification body. */
      approvalNumber: Text(64).min(1),
    }),
    issuedOn: IsoDate,
    validUntil: IsoDate,
  })
  .superRefine((p, ctx) => {
    const match = CERTIFICATE_NUMBER_PATTERN.exec(p.number);
    if (match) {
      const [, cb, label, year] = match;
      if (cb !== p.issuer.cbCode)
        ctx.addIssue({ code: "custom", path: ["number"], message: `begins with ${cb}, not the issuer's code ${p.issuer.cbCode}` });
      if (label !== p.labelType) ctx.addIssue({ code: "custom", path: ["number"], message: `names label type ${label}, not ${p.labelType}` });
      if (year !== p.issuedOn.slice(0, 4))
        ctx.addIssue({ code: "custom", path: ["number"], message: `names year ${year}, not the issue year ${p.issuedOn.slice(0, 4)}` });
    }
    if (p.labelFacts.type !== p.labelType) {
      ctx.addIssue({ code: "custom", path: ["labelFacts", "type"], message: `must be ${p.labelType}, the label type` });
    }
    if (p.validUntil <= p.issuedOn) ctx.addIssue({ code: "custom", path: ["validUntil"], message: "must be after the issue date" });
    const stages = p.stages.map((s) => s.stage);
    if (new Set(stages).size !== stages.length) ctx.addIssue({ code: "custom", path: ["stages"], message: "lists a stage twice" });
    const gases = p.gases.map((g) => g.gas);
    if (new Set(gases).size !== gases.length) ctx.addIssue({ code: "custom", path: ["gases"], message: "lists a gas twice" });
    if (p.labelFacts.type === "CN") {
      const { period, credits } = p.labelFacts;
      if (period.end < period.start) ctx.addIssue({ code: "custom", path: ["labelFacts", "period", "end"], message: "is before the start" });
      credits.forEach((c, i) => {
        if (BigInt(c.last) < BigInt(c.first))
          ctx.addIssue({ code: "custom", path: ["labelFacts", "credits", i, "last"], message: "is before the first serial" });
      });
    }
  });

export type CertificatePayload = z.infer<typeof CertificatePayloadSchema>;
export type LabelFacts = z.infer<typeof LabelFactsSchema>;

/** A readable list of what is wrong, one `path: message` per problem (for logs and API errors). */
export function describePayloadIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`);
}

/** Validates a payload, throwing with every problem named by its path. */
export function parseCertificatePayload(value: unknown): CertificatePayload {
  const parsed = CertificatePayloadSchema.safeParse(value);
  if (!parsed.success) throw new InvalidCertificatePayloadError(describePayloadIssues(parsed.error));
  return parsed.data;
}

export class InvalidCertificatePayloadError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid certificate payload:\n  ${problems.join("\n  ")}`);
    this.name = "InvalidCertificatePayloadError";
  }
}

/** The exact text that is signed: RFC 8785 canonical JSON of the payload. */
export function canonicalPayload(payload: unknown): string {
  return canonicalJson(payload);
}
