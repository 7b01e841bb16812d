/**
 * The OpenAPI 3.1 description of the public certificate API, served at /api/v1/openapi.json.
 * Built from the same lists the code uses (verdicts, statuses, label types, the number pattern),
 * so the document cannot drift from what the API answers.
 */
import { CERTIFICATE_SCHEMA_ID } from "../../../workflows/certificates/payload.ts";
import { PUBLIC_KEYS_FORMAT, PUBLIC_KEYS_PATH } from "../../../workflows/certificates/signing.ts";
import { publicOrigin } from "../../utils/public-origin.server.ts";
import { API_CACHE_CONTROL } from "./api.server.ts";
import { LABEL_TYPE_CODES } from "./registry.server.ts";
import { VERDICTS } from "./verify.server.ts";

const STATUSES = ["valid", "suspended", "withdrawn", "expired", "superseded"] as const;
const NUMBER_PATTERN = "^[A-Z0-9]{2,10}-(CF|LC|RC|CN)-[0-9]{4}-[0-9]{6}$";

const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", examples: ["NotFound"] },
        message: { type: "object", required: ["zh", "en"], properties: { zh: { type: "string" }, en: { type: "string" } } },
      },
    },
  },
} as const;

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "CarbonLabel public certificate API 碳标识证书公开查验接口",
      version: "1.0.0",
      description: [
        "Verify a carbon-label certificate by its number, without an account. Three separate checks, each `valid`, `invalid` or `unknown`:",
        "**data** (the Ed25519 signature verifies over the RFC 8785 canonical payload), **status** (the registry shows it valid today) and",
        "**issuer** (a published key of the named body, valid on the issue date, and the body is accredited for the product category).",
        "The response carries the signed envelope itself; verify it offline with the keys at `" + PUBLIC_KEYS_PATH + "`.",
        "Status is never part of the signed payload. Rate limited per client address (HTTP 429 with Retry-After).",
      ].join(" "),
    },
    // The configured origin, never the request's Host: the document is cached and shared.
    servers: [{ url: publicOrigin() }],
    paths: {
      "/api/v1/certificates/{number}": {
        get: {
          operationId: "getCertificate",
          summary: "Verify a certificate by number",
          parameters: [
            {
              name: "number",
              in: "path",
              required: true,
              schema: { type: "string", pattern: NUMBER_PATTERN },
              example: "CCDC-CF-2026-000001",
              description: "Lower case is accepted.",
            },
            {
              name: "If-None-Match",
              in: "header",
              required: false,
              schema: { type: "string" },
              description: "An ETag from an earlier answer: 304 while nothing changed.",
            },
          ],
          responses: {
            "200": {
              description: "The certificate with its verdict, checks, status and signed envelope.",
              headers: {
                ETag: {
                  schema: { type: "string" },
                  description: "SHA-256 (base64url, 27 characters) of the body: changes when the status or a check changes.",
                },
                "Cache-Control": { schema: { type: "string", const: API_CACHE_CONTROL } },
                "Access-Control-Allow-Origin": { schema: { type: "string", const: "*" } },
              },
              content: { "application/json": { schema: { $ref: "#/components/schemas/CertificateVerification" } } },
            },
            "304": { description: "Not modified: the ETag sent in If-None-Match is current." },
            "400": {
              description: "Not a certificate number.",
              content: {
                "application/json": {
                  schema: { allOf: [{ $ref: "#/components/schemas/Error" }, { $ref: "#/components/schemas/CertificateVerification" }] },
                },
              },
            },
            "404": {
              description: "No certificate with this number in the registry.",
              content: {
                "application/json": {
                  schema: { allOf: [{ $ref: "#/components/schemas/Error" }, { $ref: "#/components/schemas/CertificateVerification" }] },
                },
              },
            },
            "429": {
              description: "Too many requests from this client.",
              headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." } },
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
      },
      [PUBLIC_KEYS_PATH]: {
        get: {
          operationId: "getSigningKeys",
          summary: "Public keys of every certificate signing key, retired keys included",
          responses: {
            "200": {
              description: "A JWK Set (RFC 7517) of OKP/Ed25519 keys (RFC 8037).",
              content: { "application/json": { schema: { $ref: "#/components/schemas/KeyDocument" } } },
            },
            "304": { description: "Not modified." },
          },
        },
      },
    },
    components: {
      schemas: {
        CheckState: { type: "string", enum: ["valid", "invalid", "unknown"] },
        Checks: {
          type: "object",
          required: ["data", "status", "issuer"],
          properties: {
            data: { $ref: "#/components/schemas/CheckState", description: "The signature verifies over the canonical payload." },
            status: { $ref: "#/components/schemas/CheckState", description: "The registry shows the certificate as valid today." },
            issuer: {
              $ref: "#/components/schemas/CheckState",
              description: "A known key of the issuing body, valid on the issue date; the body is accredited for the category.",
            },
          },
        },
        CertificateVerification: {
          type: "object",
          required: ["number", "verdict", "status", "checks", "certificate"],
          properties: {
            number: { type: ["string", "null"], pattern: NUMBER_PATTERN },
            verdict: {
              type: "string",
              enum: [...VERDICTS],
              description: "What to know first: the status when all else holds, otherwise the failed check.",
            },
            status: {
              type: ["string", "null"],
              enum: [...STATUSES, null],
              description: "Registry status; a certificate past its validity reads expired.",
            },
            statusChangedAt: { type: ["string", "null"], format: "date-time" },
            checks: { $ref: "#/components/schemas/Checks" },
            payloadSha256: { type: ["string", "null"], pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the canonical payload (UTF-8)." },
            certificate: { oneOf: [{ $ref: "#/components/schemas/SignedCertificate" }, { type: "null" }] },
            links: {
              type: ["object", "null"],
              properties: Object.fromEntries(
                ["verify", "api", "pdf", "json", "labelSvg", "labelPng", "keys"].map((k) => [k, { type: "string", format: "uri" }]),
              ),
            },
          },
        },
        SignedCertificate: {
          type: "object",
          required: ["payload", "signature"],
          properties: {
            payload: {
              type: "object",
              description: `The signed payload (schema "${CERTIFICATE_SCHEMA_ID}", docs/decisions/0007): every quantity is a decimal string. Canonicalise it with RFC 8785 to check the signature.`,
              required: [
                "schema",
                "number",
                "labelType",
                "holder",
                "product",
                "pcr",
                "declaredUnit",
                "footprint",
                "issuer",
                "issuedOn",
                "validUntil",
              ],
              properties: {
                schema: { const: CERTIFICATE_SCHEMA_ID },
                number: { type: "string", pattern: NUMBER_PATTERN },
                labelType: { type: "string", enum: [...LABEL_TYPE_CODES] },
                footprint: { type: "object", properties: { value: { type: "string" }, unit: { const: "kgCO2e" } } },
                declaredUnit: { type: "object", properties: { quantity: { type: "string" }, unit: { type: "string" } } },
                issuedOn: { type: "string", format: "date" },
                validUntil: { type: "string", format: "date" },
              },
            },
            signature: {
              type: "object",
              required: ["alg", "keyId", "value"],
              properties: {
                alg: { const: "Ed25519" },
                keyId: { type: "string", description: "First 16 characters of the key's RFC 7638 JWK thumbprint." },
                value: { type: "string", pattern: "^[A-Za-z0-9_-]{86}$", description: "base64url Ed25519 signature over the canonical payload." },
              },
            },
          },
        },
        KeyDocument: {
          type: "object",
          required: ["format", "keys"],
          properties: {
            format: { const: PUBLIC_KEYS_FORMAT },
            keys: {
              type: "array",
              items: {
                type: "object",
                required: ["kty", "crv", "x", "kid", "cb", "validFrom", "validUntil"],
                properties: {
                  kty: { const: "OKP" },
                  crv: { const: "Ed25519" },
                  x: { type: "string" },
                  kid: { type: "string" },
                  alg: { const: "Ed25519" },
                  use: { const: "sig" },
                  cb: { type: "string", description: "Code of the certification body." },
                  validFrom: { type: "string", format: "date", description: "First issue date the key signs for." },
                  validUntil: { type: ["string", "null"], format: "date", description: "Last issue date, null while current." },
                },
              },
            },
          },
        },
        Error: error,
      },
    },
  };
}
