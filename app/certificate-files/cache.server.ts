/**
 * Rendered certificate files by content hash, in memory, least recently used out first. Rendering
 * is deterministic (same input, same bytes), so a cache per process is safe to lose and needs no
 * invalidation: a changed input is a different key. Values are promises so concurrent requests
 * for the same file share one render; a failed render is forgotten.
 */
import { createHash } from "node:crypto";

export class RenderCache<T> {
  readonly #entries = new Map<string, Promise<T>>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The cached value for `key`, or the result of `render()`, which is then cached. */
  get(key: string, render: () => Promise<T> | T): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const pending = Promise.resolve().then(render);
    this.#entries.set(key, pending);
    pending.catch(() => {
      if (this.#entries.get(key) === pending) this.#entries.delete(key);
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.limit) break;
      this.#entries.delete(oldest);
    }
    return pending;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** SHA-256 (hex) over the parts, each length-prefixed so no two part lists collide. */
export function cacheKey(...parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${Buffer.byteLength(part, "utf8")}:`).update(part, "utf8");
  return hash.digest("hex");
}
