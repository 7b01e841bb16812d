/**
 * Values there must be exactly one of per process, although the module that holds them is loaded
 * more than once: the server entry (app/serve.ts, run by tsx) and the Remix build (bundled by Vite,
 * and re-evaluated on every change by the development server) each evaluate their own copy, so
 * plain module-level state would split into two that disagree (two database pools, two key stores).
 * A value therefore lives on globalThis under `Symbol.for("carbonlabel.<name>")`, a key every copy
 * of every module resolves to the same symbol.
 *
 * It lives in db/, the lowest layer that keeps such values (the database pool), so that every
 * layer above (workflows/, app/) may import it too.
 */

export interface ProcessSingleton<T> {
  /** The value, made by `create` on first use. */
  get(): T;
  /** The value if one has been made or set, without making one. */
  peek(): T | undefined;
  /** Replaces the value (start-up wiring, tests). */
  set(value: T): void;
  /** Forgets the value; the next `get()` makes a fresh one. */
  clear(): void;
}

type Registry = Record<symbol, unknown>;

/** The process-wide value named `name`, made by `create` on first `get()`. */
export function singleton<T>(name: string, create: () => T): ProcessSingleton<T> {
  const key = Symbol.for(`carbonlabel.${name}`);
  const registry = globalThis as unknown as Registry;
  const peek = () => (key in registry ? (registry[key] as T) : undefined);
  return {
    get() {
      if (!(key in registry)) registry[key] = create();
      return registry[key] as T;
    },
    peek,
    set(value) {
      registry[key] = value;
    },
    clear() {
      delete registry[key];
    },
  };
}
