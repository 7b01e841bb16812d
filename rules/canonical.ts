import { NonFiniteNumberError } from "./errors.ts";
import { sha256Stream } from "./sha256.ts";

/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object members sorted by UTF-16 code units,
 * no whitespace, numbers in ECMAScript shortest round-trip form, strings escaped as
 * JSON.stringify does. Inputs are plain data (objects, arrays, strings, finite numbers,
 * booleans, null); `undefined` members are dropped as JSON drops them.
 *
 * Only a value's own enumerable members are written. (An earlier version ran the native
 * JSON.stringify with the sorted list of every member name as its property list; that reads
 * inherited properties too, so one object owning a `__proto__` member made every other object
 * gain a `"__proto__":{}` member.)
 */
export function canonicalJson(value: unknown): string {
  const pieces: string[] = [];
  writeCanonical(value, (piece) => pieces.push(piece));
  return pieces.join("");
}

/**
 * SHA-256 (hex) of the canonical JSON of a value: the content identity of inputs, PCRs, datasets.
 * Equal to `sha256(canonicalJson(value))`, but the canonical text is fed to the hash in ~64 KiB
 * pieces, so a 100 000-line inventory (24 MB of canonical JSON) is never held as one string.
 */
export function contentHash(value: unknown): string {
  const hash = sha256Stream();
  writeCanonical(value, (piece) => hash.update(piece));
  return hash.digestHex();
}

/**
 * Writes the canonical text of a value object by object (each object's own member names sorted),
 * handing it to `emit` in pieces of about 64 KiB.
 */
function writeCanonical(value: unknown, emit: (piece: string) => void): void {
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
      emit(pending);
      pending = "";
    }
  };
  if (value === undefined || typeof value === "function" || typeof value === "symbol") pending = "null";
  else write(value);
  emit(pending);
}

/** Freezes a plain-data tree so published data cannot be altered in memory. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
