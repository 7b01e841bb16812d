import { NonFiniteNumberError } from "./errors.ts";
import { sha256Hex } from "./sha256.ts";

/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object members sorted by UTF-16 code units,
 * no whitespace, numbers in ECMAScript shortest round-trip form, strings escaped as
 * JSON.stringify does. Inputs are plain data (objects, arrays, strings, finite numbers,
 * booleans, null); `undefined` members are dropped as JSON drops them.
 *
 * Implementation: one pass collects every member name in the document and checks numbers are
 * finite; then the native JSON.stringify is run with that sorted name list as its property list,
 * which makes it emit the members of every object in exactly that (sorted) order. This is
 * several times faster than a hand-written serialiser on large inventories.
 */
export function canonicalJson(value: unknown): string {
  const names = new Set<string>();
  collectMemberNames(value, names, "$");
  const order = [...names].sort();
  const text = JSON.stringify(value, order);
  return text === undefined ? "null" : text;
}

function collectMemberNames(value: unknown, names: Set<string>, path: string): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NonFiniteNumberError(path);
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectMemberNames(value[i], names, path);
    return;
  }
  for (const key in value) {
    names.add(key);
    collectMemberNames((value as Record<string, unknown>)[key], names, path);
  }
}

/** SHA-256 (hex) of the canonical JSON of a value: the content identity of inputs, PCRs, datasets. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** Freezes a plain-data tree so published data cannot be altered in memory. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
