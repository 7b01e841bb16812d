// The only module of rules/ that touches Node: hashing stays isolated so the rest remains portable.
import { createHash } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
