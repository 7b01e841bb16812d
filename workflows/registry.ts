import type { StateValue } from "xstate";
import { certificationMachine } from "./certification/machine.ts";

/**
 * Every machine version an open case may still be stored under, by the key stored beside the
 * snapshot. A changed lifecycle is a new version (`certification.v2`) registered next to the old
 * one; the old one stays until no open case uses it.
 */
export const MACHINES = {
  "certification.v1": certificationMachine,
} as const;

export type MachineKey = keyof typeof MACHINES;

export class UnknownMachineError extends Error {
  readonly code = "UnknownMachine";
  constructor(readonly key: string) {
    super(`No machine "${key}" is registered (known: ${Object.keys(MACHINES).join(", ")})`);
    this.name = "UnknownMachineError";
  }
}

export function isMachineKey(key: string): key is MachineKey {
  return Object.hasOwn(MACHINES, key);
}

export function resolveMachine(key: string): (typeof MACHINES)[MachineKey] {
  if (!isMachineKey(key)) throw new UnknownMachineError(key);
  return MACHINES[key];
}

/** What the host stores: the machines have no history states and no children, so value and context are the whole state. */
export interface PersistedCase<TContext> {
  readonly machine: MachineKey;
  readonly value: StateValue;
  readonly context: TContext;
}

export function persistSnapshot<TContext>(key: MachineKey, snapshot: { readonly value: StateValue; readonly context: TContext }): PersistedCase<TContext> {
  return { machine: key, value: snapshot.value, context: structuredClone(snapshot.context) };
}

/** A stored case back as a snapshot of its own machine version; an unknown key or state is refused. */
export function restoreSnapshot(stored: { readonly machine: string; readonly value: StateValue; readonly context: unknown }) {
  const machine = resolveMachine(stored.machine);
  if (typeof stored.value !== "string" || !Object.hasOwn(machine.states, stored.value)) {
    throw new Error(`Machine ${stored.machine} has no state ${JSON.stringify(stored.value)}`);
  }
  return machine.resolveState({ value: stored.value, context: stored.context as Parameters<typeof machine.resolveState>[0]["context"] });
}
