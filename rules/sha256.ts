// The only module of rules/ that touches Node: hashing stays isolated so the rest remains portable.
import { createHash } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** An incremental SHA-256 over UTF-8 text: feed pieces with `update`, read the hex digest once. */
export interface Sha256Stream {
  update(text: string): void;
  /** Bytes are hashed before this returns, so the caller may reuse the buffer. */
  updateBytes(bytes: Uint8Array): void;
  digestHex(): string;
}

export function sha256Stream(): Sha256Stream {
  const hash = createHash("sha256");
  return {
    update: (text) => void hash.update(text, "utf8"),
    updateBytes: (bytes) => void hash.update(bytes),
    digestHex: () => hash.digest("hex"),
  };
}
