/**
 * The signer the issue effect calls. Building a certificate's payload and signing it needs the
 * calculator, the PCR catalogue and the body's signing keys, which belong to the app; the database
 * layer knows none of that (db/ never imports app/). The app hands an issuer in — explicitly to the
 * outbox runner, or once per process with `setCertificateIssuer` — and the effect calls it inside
 * the transaction that numbers the certificate, so the row, its number and its signed content
 * commit together or not at all.
 *
 * The registration is a process singleton (db/singleton.ts) because the server entry and the bundled
 * Remix build each load their own copy of this module (as with the database in db/client.ts).
 */
import type { Transaction } from "kysely";
import type { CertificationEffect } from "../certification/types.ts";
import type { DB } from "../../db/schema.ts";
import { singleton } from "../../db/singleton.ts";

/**
 * What the issue effect knows when it asks for a signature: the case's decision, as the
 * statechart emitted it (the verified value is kg CO2e per declared unit), and the number it drew.
 */
export type CertificateToIssue = Omit<Extract<CertificationEffect, { type: "effect.issue_certificate" }>, "type" | "decidedBy"> & {
  readonly number: string;
};

/** The signed content stored with the certificate row. */
export interface SignedContent {
  /** RFC 8785 canonical JSON of the payload, exactly the bytes signed. */
  readonly payload: string;
  readonly payloadSha256: string;
  readonly keyId: string;
  /** base64url Ed25519 signature. */
  readonly signature: string;
  /**
   * The certificate PDF, rendered once from the signed payload at issue: stored with the row and
   * served byte for byte, so an uploaded copy can be compared with exactly what was issued.
   */
  readonly pdf?: Uint8Array;
}

export interface CertificateIssuer {
  /**
   * Builds and signs a certificate's content. Reads only through `trx` (a second connection would
   * not see the uncommitted case data, and in the embedded database it would wait forever).
   */
  sign(trx: Transaction<DB>, certificate: CertificateToIssue): Promise<SignedContent>;
}

const registration = singleton<CertificateIssuer | null>("certificateIssuer", () => null);

/** Sets (or with null clears) the issuer used when the outbox runner is given none. */
export function setCertificateIssuer(issuer: CertificateIssuer | null): void {
  registration.set(issuer);
}

export function registeredCertificateIssuer(): CertificateIssuer | null {
  return registration.get();
}
