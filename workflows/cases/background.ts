/**
 * The background loops an app server runs: the outbox runner (often) and the scheduler (every
 * minute or so). Safe on any number of servers at once (see outbox.ts and scheduler.ts). `stop()`
 * lets the tick in progress finish, so a shutdown never leaves a half-run handler behind.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import type { Mailer } from "./mailer.ts";
import { drainOutbox } from "./outbox.ts";
import { runSchedulerOnce } from "./scheduler.ts";

export interface CaseWorkerOptions {
  readonly mailer: Mailer;
  readonly outboxIntervalMs?: number;
  readonly schedulerIntervalMs?: number;
  /** Where a failed tick is reported; the loop carries on. */
  readonly onError?: (error: unknown, loop: "outbox" | "scheduler") => void;
}

export interface CaseWorkers {
  stop(): Promise<void>;
}

export function startCaseWorkers(db: Kysely<DB>, options: CaseWorkerOptions): CaseWorkers {
  const onError = options.onError ?? ((error, loop) => console.error(`${loop} tick failed:`, error));
  let stopped = false;
  const loops = [
    loop("outbox", options.outboxIntervalMs ?? 2_000, () => drainOutbox(db, { mailer: options.mailer })),
    loop("scheduler", options.schedulerIntervalMs ?? 60_000, () => runSchedulerOnce(db)),
  ];

  function loop(name: "outbox" | "scheduler", intervalMs: number, work: () => Promise<unknown>) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    const tick = () => {
      running = work()
        .then(() => undefined)
        .catch((error: unknown) => {
          if (!stopped) onError(error, name);
        })
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    // The first tick runs at once: whatever piled up while no server ran is handled at start-up.
    timer = setTimeout(tick, 0);
    return {
      async stop() {
        clearTimeout(timer);
        await running;
      },
    };
  }

  return {
    async stop() {
      stopped = true;
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
