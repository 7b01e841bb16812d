import type { StateValue } from "xstate";
import type { CertificationSnapshot } from "./certification/case.ts";
import { CERTIFICATION_MACHINE_VERSION, certificationMachine, type CertificationMachine } from "./certification/machine.ts";
import type { CertificationContext } from "./certification/types.ts";

/**
 * Every machine version a case may still be stored under, by the key stored beside its snapshot
 * (`cases.machine`, with the number in `cases.machine_version`). A case is stepped, state-checked
 * and hashed under the version it was opened with for its whole life, so a changed lifecycle is a
 * new version registered here next to the old one, and made current for new cases; the old one
 * stays until no stored case uses it. This is the one place a version is registered.
 *
 * Versions share the context and event types (`CertificationMachine`): the host, the readers and
 * the effects read every stored case the same way. A version that changes the context's shape
 * needs those types widened first.
 */
export const MACHINES: Readonly<Record<string, CertificationMachine>> = {};

export type MachineKey = string;

export interface MachineVersion {
  /** What `cases.machine` holds and every snapshot hash includes, e.g. "certification.v1". */
  readonly key: MachineKey;
  /** What `cases.machine_version` holds. */
  readonly version: number;
  readonly machine: CertificationMachine;
}

export function machineKey(machineId: string, version: number): MachineKey {
  return `${machineId}.v${version}`;
}

const versions = new Map<MachineKey, MachineVersion>();
let current: MachineVersion | undefined;

/**
 * Adds a version; `current` makes it the one new cases are opened with. Returns the undo (the
 * version taken out and the previous current one back), for a version that exists only for a test.
 */
export function registerMachineVersion(version: number, machine: CertificationMachine, options: { readonly current?: boolean } = {}): () => void {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`machine version must be a positive integer, not ${version}`);
  const key = machineKey(machine.id, version);
  if (versions.has(key)) throw new Error(`machine ${key} is registered already`);
  if ([...versions.values()].some((v) => v.machine === machine)) throw new Error(`machine ${key} is registered already under another version`);
  const entry: MachineVersion = { key, version, machine };
  versions.set(key, entry);
  (MACHINES as Record<string, CertificationMachine>)[key] = machine;
  const previous = current;
  if (options.current) current = entry;
  return () => {
    versions.delete(key);
    delete (MACHINES as Record<string, CertificationMachine>)[key];
    if (current === entry) current = previous;
  };
}

registerMachineVersion(CERTIFICATION_MACHINE_VERSION, certificationMachine, { current: true });

/** The version new cases are opened with. */
export function currentMachineVersion(): MachineVersion {
  if (!current) throw new Error("no certification machine version is current");
  return current;
}

/** A stored key names no registered version: the case was stored by a newer or withdrawn release. */
export class UnknownMachineError extends Error {
  readonly code = "UnknownMachine";
  constructor(readonly key: string) {
    super(`No machine "${key}" is registered (known: ${Object.keys(MACHINES).join(", ")})`);
    this.name = "UnknownMachineError";
  }
}

/** A stored snapshot that its own machine version cannot have written. */
export class StoredSnapshotError extends Error {
  readonly code = "StoredSnapshot";
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`Stored snapshot of machine ${key}: ${detail}`);
    this.name = "StoredSnapshotError";
  }
}

export function isMachineKey(key: string): boolean {
  return versions.has(key);
}

export function machineVersion(key: string): MachineVersion {
  const entry = versions.get(key);
  if (!entry) throw new UnknownMachineError(key);
  return entry;
}

export function resolveMachine(key: string): CertificationMachine {
  return machineVersion(key).machine;
}

/**
 * The registered version a snapshot belongs to. A snapshot carries the machine that started or
 * restored it (XState keeps it through every `transition`), so this is the version it was stored
 * under, whichever is current now.
 */
export function versionOfSnapshot(snapshot: CertificationSnapshot): MachineVersion {
  // Compared by identity only; XState types the carried machine with its parameters erased.
  const carried: object = snapshot.machine;
  for (const entry of versions.values()) if (entry.machine === carried) return entry;
  throw new UnknownMachineError(`${snapshot.machine.id} (an unregistered machine object)`);
}

/** What the host stores: the machines have no history states and no children, so value and context are the whole state. */
export interface PersistedCase<TContext> {
  readonly machine: MachineKey;
  readonly value: StateValue;
  readonly context: TContext;
}

export function persistSnapshot<TContext>(
  key: MachineKey,
  snapshot: { readonly value: StateValue; readonly context: TContext },
): PersistedCase<TContext> {
  return { machine: key, value: snapshot.value, context: structuredClone(snapshot.context) };
}

/**
 * A stored case back as a snapshot of its own machine version, which it carries from then on
 * (`step()` transitions with it); an unknown key, an unknown state or a context that is not an
 * object is refused with a named error before XState sees it.
 */
export function restoreSnapshot(stored: { readonly machine: string; readonly value: StateValue; readonly context: unknown }): CertificationSnapshot {
  const machine = resolveMachine(stored.machine);
  if (typeof stored.value !== "string" || !Object.hasOwn(machine.states, stored.value)) {
    throw new StoredSnapshotError(stored.machine, `the machine has no state ${JSON.stringify(stored.value)}`);
  }
  if (typeof stored.context !== "object" || stored.context === null || Array.isArray(stored.context)) {
    throw new StoredSnapshotError(stored.machine, "the context is not an object");
  }
  return machine.resolveState({ value: stored.value, context: stored.context as CertificationContext });
}
