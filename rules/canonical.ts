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
  const chunks: Uint8Array[] = [];
  let length = 0;
  writeCanonical(value, (bytes) => {
    chunks.push(bytes.slice()); // the writer reuses its buffer
    length += bytes.length;
  });
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return utf8Text.decode(all);
}

/**
 * SHA-256 (hex) of the canonical JSON of a value: the content identity of inputs, PCRs, datasets.
 * Equal to `sha256(canonicalJson(value))`, but the canonical text is fed to the hash as UTF-8 in
 * 64 KiB pieces, so a 100 000-line inventory (24 MB of canonical JSON) is never held as one string.
 */
export function contentHash(value: unknown, memo?: CanonicalMemo): string {
  const hash = sha256Stream();
  writeCanonical(value, (bytes) => hash.updateBytes(bytes), memo);
  return hash.digestHex();
}

/**
 * The canonical bytes of deep-frozen objects, remembered from one hash to the next.
 *
 * A frozen plain-data object whose members are all frozen (or primitive) cannot change, so its
 * canonical text computed once stays true for as long as the object lives: the memo holds it
 * weakly, keyed by the object itself. Objects that are not deep-frozen are never remembered, so a
 * caller cannot get a stale text by mutating its data. (Plain data: a frozen accessor property
 * could still return something else next time; inputs never have accessors.) The inventory editor keeps the line objects of recently
 * read lines (the inventory service does) and passes one memo to every calculation, so a
 * recalculation after one edit writes one line's text and copies the others.
 */
export class CanonicalMemo {
  private readonly known = new WeakMap<object, Uint8Array>();

  get(value: object): Uint8Array | undefined {
    return this.known.get(value);
  }

  /** Only the writer records, and only deep-frozen objects' bytes. */
  record(value: object, bytes: Uint8Array): void {
    this.known.set(value, bytes);
  }
}

/**
 * Writes the canonical text of a value as UTF-8 bytes into a reused 64 KiB buffer, handing each
 * full buffer to `emit` (which must consume it before returning: the buffer is then overwritten).
 *
 * Why bytes and not strings: a 100 000-line inventory is 24 MB of canonical text made of ~5 M small
 * pieces. Concatenating them as strings allocated a rope node per piece and the hash then had to
 * flatten and re-encode the ropes; writing bytes straight into one buffer does neither. The write
 * position is passed along and returned rather than kept in a field, so it stays in a register.
 */
function writeCanonical(value: unknown, emit: (bytes: Uint8Array) => void, memo?: CanonicalMemo): void {
  const writer = new CanonicalWriter(emit, memo);
  const end = value === undefined || typeof value === "function" || typeof value === "symbol" ? writer.ascii("null", 0) : writer.value(value, 0);
  writer.flush(end);
}

const CHUNK_BYTES = 1 << 16;
/** Longer strings are rare (notes, descriptions): they take the JSON.stringify path. */
const STRING_FAST_PATH_MAX = 4096;
const utf8 = new TextEncoder();
const utf8Text = new TextDecoder();
/**
 * Objects whose text is remembered: big enough to be worth a memo entry (a line, not its
 * data-quality scores) and small enough not to pin large texts (an inventory, a product).
 */
const MEMO_MIN_BYTES = 128;
const MEMO_MAX_BYTES = 16 * 1024;

class CanonicalWriter {
  private readonly buf = new Uint8Array(CHUNK_BYTES);
  private readonly names = new SortedNames();
  /** Times the buffer was emptied: an object whose text spans an emptying is not remembered. */
  private flushes = 0;
  /** While writing an object for the memo: false once anything in it is found not frozen. */
  private subtreeFrozen = true;

  constructor(
    private readonly emit: (bytes: Uint8Array) => void,
    private readonly memo?: CanonicalMemo,
  ) {}

  flush(p: number): void {
    this.flushes++;
    if (p > 0) this.emit(this.buf.subarray(0, p));
  }

  /** The position at which `n` more bytes (n ≤ CHUNK_BYTES) fit, emptying the buffer if need be. */
  private room(p: number, n: number): number {
    if (p + n <= CHUNK_BYTES) return p;
    this.flush(p);
    return 0;
  }

  value(node: unknown, p: number): number {
    switch (typeof node) {
      case "string":
        return this.string(node, p);
      case "number":
        return this.number(node, p);
      case "boolean":
        return this.ascii(node ? "true" : "false", p);
      case "object":
        if (node === null) return this.ascii("null", p);
        if (Array.isArray(node)) return this.array(node, p);
        return this.memo ? this.remembered(node as Record<string, unknown>, p) : this.object(node as Record<string, unknown>, p);
      default:
        // undefined, functions, symbols: only reachable inside arrays, where JSON writes null
        return this.ascii("null", p);
    }
  }

  /** An object through the memo: its remembered text, or its text written and, if deep-frozen, remembered. */
  private remembered(record: Record<string, unknown>, p: number): number {
    const memo = this.memo!;
    const known = memo.get(record);
    if (known) return this.bytes(known, p);
    const outerFrozen = this.subtreeFrozen;
    const flushesBefore = this.flushes;
    this.subtreeFrozen = Object.isFrozen(record);
    const start = p;
    const end = this.object(record, p);
    const length = end - start;
    if (this.subtreeFrozen && this.flushes === flushesBefore && length >= MEMO_MIN_BYTES && length <= MEMO_MAX_BYTES) {
      memo.record(record, this.buf.slice(start, end));
    }
    this.subtreeFrozen = outerFrozen && this.subtreeFrozen;
    return end;
  }

  private array(items: readonly unknown[], p: number): number {
    if (this.memo && !Object.isFrozen(items)) this.subtreeFrozen = false;
    p = this.byte(0x5b, p);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) p = this.byte(0x2c, p);
      p = this.value(items[i], p);
    }
    return this.byte(0x5d, p);
  }

  private object(record: Record<string, unknown>, p: number): number {
    const shape = this.names.shapeOf(Object.keys(record));
    const names = shape.names;
    const quoted = shape.quoted;
    let first = true;
    p = this.byte(0x7b, p);
    for (let i = 0; i < names.length; i++) {
      const member = record[names[i]!];
      if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
      if (!first) p = this.byte(0x2c, p);
      first = false;
      p = this.raw(quoted[i]!, p);
      p = this.value(member, p);
    }
    return this.byte(0x7d, p);
  }

  /** Copies short pre-encoded bytes (a quoted member name and its colon). */
  private raw(bytes: Uint8Array, p: number): number {
    const n = bytes.length;
    if (n > 64) return this.bytes(bytes, p);
    p = this.room(p, n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) buf[p + i] = bytes[i]!;
    return p + n;
  }

  /** Integers written digit by digit (data-quality scores, counts); other numbers as String() writes them. */
  private number(n: number, p: number): number {
    if (n >= 0 && n < 1e9 && (n | 0) === n) {
      let digits = 1;
      for (let rest = n; rest >= 10; rest = (rest / 10) | 0) digits++;
      p = this.room(p, digits);
      const buf = this.buf;
      let rest = n;
      for (let i = p + digits - 1; i >= p; i--) {
        buf[i] = 0x30 + (rest % 10);
        rest = (rest / 10) | 0;
      }
      return p + digits;
    }
    if (!Number.isFinite(n)) throw new NonFiniteNumberError("$");
    return this.ascii(String(n), p); // ECMAScript shortest round-trip form, as JSON.stringify writes it
  }

  private byte(b: number, p: number): number {
    if (p === CHUNK_BYTES) p = this.room(p, 1);
    this.buf[p] = b;
    return p + 1;
  }

  /** ASCII text known to need no escaping (numbers, literals). */
  ascii(text: string, p: number): number {
    const n = text.length;
    p = this.room(p, n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
    return p;
  }

  private bytes(bytes: Uint8Array, p: number): number {
    if (bytes.length > CHUNK_BYTES) {
      this.flush(p);
      this.emit(bytes);
      return 0;
    }
    p = this.room(p, bytes.length);
    this.buf.set(bytes, p);
    return p + bytes.length;
  }

  /**
   * A JSON string as JSON.stringify quotes it, encoded as UTF-8. Printable ASCII and well-formed
   * non-ASCII text are encoded here; text that needs escapes (controls, quote, backslash, lone
   * surrogates) goes through JSON.stringify itself so the escapes are exactly its own.
   */
  private string(text: string, start: number): number {
    const n = text.length;
    if (n > STRING_FAST_PATH_MAX) return this.bytes(utf8.encode(JSON.stringify(text)), start);
    start = this.room(start, n * 3 + 2); // UTF-8 takes at most 3 bytes per UTF-16 code unit
    const buf = this.buf;
    let p = start;
    buf[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c === 0x22 || c === 0x5c) return this.bytes(utf8.encode(JSON.stringify(text)), start);
        buf[p++] = c;
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        // A lone surrogate: JSON.stringify writes it as a \u escape.
        if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) return this.bytes(utf8.encode(JSON.stringify(text)), start);
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[p++] = 0xf0 | (cp >> 18);
        buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[p++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        buf[p++] = 0xe0 | (c >> 12);
        buf[p++] = 0x80 | ((c >> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      }
    }
    buf[p++] = 0x22;
    return p;
  }
}

/** An object shape's member names in UTF-16 order, each also as the UTF-8 bytes of `"name":`. */
interface Shape {
  readonly names: readonly string[];
  readonly quoted: readonly Uint8Array[];
}

/**
 * Member names in UTF-16 order, remembered per object shape: the lines of an inventory share a
 * few dozen shapes at most, so most objects reuse an earlier sort and their names' encoded bytes.
 *
 * Shapes are found through a signature of the name list (count, lengths and first characters) and
 * then compared name by name. Object.keys returns the same interned strings for objects of one
 * shape, so the comparison is mostly pointer compares. A bucket holds at most a few shapes and the
 * whole table a bounded number, so data whose every object has its own keys (a dictionary per
 * line) costs one short scan and a sort per object — what writing it without the table costs.
 */
class SortedNames {
  private readonly bySignature = new Map<number, { keys: string[]; shape: Shape }[]>();
  private count = 0;

  shapeOf(keys: string[]): Shape {
    const n = keys.length;
    if (n === 0) return EMPTY_SHAPE;
    let signature = n;
    for (let i = 0; i < n; i++) {
      const name = keys[i]!;
      signature = (Math.imul(signature, 31) + name.length * 131 + (name.length > 0 ? name.charCodeAt(name.length - 1) : 0)) | 0;
    }
    let bucket = this.bySignature.get(signature);
    if (bucket) {
      for (let b = 0; b < bucket.length; b++) {
        const known = bucket[b]!.keys;
        if (known.length !== n) continue;
        let same = true;
        for (let i = 0; i < n; i++) {
          if (known[i] !== keys[i]) {
            same = false;
            break;
          }
        }
        if (same) return bucket[b]!.shape;
      }
    }
    const names = [...keys].sort();
    const shape: Shape = { names, quoted: names.map((name) => utf8.encode(`${JSON.stringify(name)}:`)) };
    if (this.count < SHAPES_REMEMBERED) {
      if (!bucket) {
        bucket = [];
        this.bySignature.set(signature, bucket);
      }
      if (bucket.length < SHAPES_PER_SIGNATURE) {
        bucket.push({ keys, shape });
        this.count++;
      }
    }
    return shape;
  }
}
const EMPTY_SHAPE: Shape = { names: [], quoted: [] };
const SHAPES_REMEMBERED = 4096;
const SHAPES_PER_SIGNATURE = 4;

/** Freezes a plain-data tree so published data cannot be altered in memory. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
