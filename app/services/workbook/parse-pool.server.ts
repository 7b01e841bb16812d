/**
 * Parsing uploaded workbooks off the server's own heap: each file is read in a fresh worker
 * thread with V8 heap limits and a deadline, and only a few run at once.
 *
 * Why: exceljs keeps a workbook's shared strings (and our rows) in memory, and a zip can unpack a
 * thousand times larger than it is. Eight such uploads at once took the whole server past its heap
 * limit. Now a file that needs too much memory ends its own thread (ERR_WORKER_OUT_OF_MEMORY) and
 * the person gets a message; the server and everyone else's requests carry on. A fresh thread per
 * file also hands all of a parse's memory back when it ends.
 *
 * Concurrency is a semaphore: at most `maxConcurrent` parses run, a bounded number wait their turn
 * (for a bounded time), and beyond that the caller is told the server is busy and when to retry.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export interface ParseLimits {
  /** Parses running at once (each is a thread with its own heap). */
  readonly maxConcurrent: number;
  /** Parses that may wait for a free slot; more are answered "busy" at once. */
  readonly maxWaiting: number;
  /** How long one may wait for a slot before it is answered "busy". */
  readonly maxWaitMs: number;
  /** V8 old-generation heap of a parse thread: past it the thread ends, not the server. */
  readonly heapMb: number;
  readonly youngGenerationMb: number;
  /** Wall-clock time of one parse. */
  readonly timeoutMs: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  // Two cores on the reference machine; a third parse would only slow the first two down.
  maxConcurrent: 2,
  maxWaiting: 16,
  maxWaitMs: 30_000,
  // A valid 50 000-row workbook (the most the importer takes) parses within 384 MB but not within
  // 128 MB (measured); two threads at this limit stay well under a gigabyte.
  heapMb: 384,
  youngGenerationMb: 32,
  // That workbook took 25 s on a busy two-core machine; the deadline only stops pathological files.
  timeoutMs: 120_000,
};

let limits: ParseLimits = DEFAULT_PARSE_LIMITS;

/** Tests narrow the limits (a tiny heap, one slot) to exercise each refusal; returns the previous ones. */
export function setParseLimits(next: Partial<ParseLimits>): ParseLimits {
  const previous = limits;
  limits = { ...limits, ...next };
  return previous;
}

export type WorkerAnswer =
  | { ok: true; table: unknown }
  | { ok: false; reason: "inflated"; bytes: number }
  | { ok: false; reason: "entries"; count: number }
  | { ok: false; reason: "tooManyRows" | "unreadable" }
  | { ok: false; reason: "tooMuchText"; chars: number };

export type ParseAnswer =
  | WorkerAnswer
  /** The thread hit its heap limit or deadline. */
  | { ok: false; reason: "memory" | "timeout"; heapMb: number; seconds: number }
  | { ok: false; reason: "busy"; retryAfterSeconds: number };

const WORKER_FILE_NAME = "parse-table.worker.js";
const WORKER_FROM_ROOT = path.join("app", "services", "workbook", "worker", WORKER_FILE_NAME);

/**
 * The worker file. Run from source (tsx, Vitest, Vite's dev server) it sits next to this module.
 * In the built server this module is inlined into build/server/index.js, so the file is found by
 * walking up from there to the project root, where the sources ship with the build.
 */
let workerFile: string | null = null;
export function locateWorkerFile(from: string = import.meta.url): string {
  const here = path.dirname(fileURLToPath(from));
  const beside = path.join(here, "worker", WORKER_FILE_NAME);
  if (existsSync(beside)) return beside;
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, WORKER_FROM_ROOT);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`workbook parser: ${WORKER_FROM_ROOT} not found above ${here}`);
}

let running = 0;
const queue: (() => void)[] = [];

function release(): void {
  const next = queue.shift();
  if (next) next();
  else running--;
}

/** A slot, or false when too many wait already or the wait took too long. */
function acquire(): Promise<boolean> {
  if (running < limits.maxConcurrent) {
    running++;
    return Promise.resolve(true);
  }
  if (queue.length >= limits.maxWaiting) return Promise.resolve(false);
  return new Promise((resolve) => {
    // The slot passes straight from the parse that ends to this one: `running` stays the same.
    const take = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      const index = queue.indexOf(take);
      if (index >= 0) queue.splice(index, 1);
      resolve(false);
    }, limits.maxWaitMs);
    queue.push(take);
  });
}

/** Parses running and waiting now (for tests and diagnostics). */
export function parseLoad(): { running: number; waiting: number } {
  return { running, waiting: queue.length };
}

function busy(): ParseAnswer {
  // A parse takes seconds; by then a slot is likely free.
  return { ok: false, reason: "busy", retryAfterSeconds: Math.max(5, Math.ceil(limits.maxWaitMs / 1000 / 2)) };
}

/** Reads the file in a worker thread; `workerLimits` are handed to the worker as they are. */
export async function parseInWorker(bytes: Uint8Array, format: "xlsx" | "csv", workerLimits: Record<string, unknown>): Promise<ParseAnswer> {
  if (!(await acquire())) return busy();
  try {
    return await runWorker(bytes, format, workerLimits);
  } finally {
    release();
  }
}

function runWorker(bytes: Uint8Array, format: "xlsx" | "csv", workerLimits: Record<string, unknown>): Promise<ParseAnswer> {
  workerFile ??= locateWorkerFile();
  const { heapMb, youngGenerationMb, timeoutMs } = limits;
  const overLimit = (reason: "memory" | "timeout"): ParseAnswer => ({ ok: false, reason, heapMb, seconds: Math.round(timeoutMs / 1000) });
  // A copy the worker owns (transferred, not cloned again): the caller's bytes stay untouched.
  const copy = new Uint8Array(bytes);
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(workerFile!, {
      workerData: { bytes: copy, format, limits: workerLimits },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: youngGenerationMb, stackSizeMb: 4 },
      // Plain JavaScript: no TypeScript loader (tsx) needed in the thread, whatever runs the server.
      execArgv: [],
    });
    const finish = (answer: ParseAnswer | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
    };
    const timer = setTimeout(() => finish(overLimit("timeout")), timeoutMs);
    worker.on("message", (answer: WorkerAnswer) => finish(answer));
    worker.on("error", (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") finish(overLimit("memory"));
      // A heap exhausted inside exceljs may also surface as a RangeError (string or array too long).
      else if (error instanceof RangeError) finish(overLimit("memory"));
      else finish(error);
    });
    worker.on("exit", (code) => finish(new Error(`workbook parser thread exited with code ${code} before answering`)));
  });
}
