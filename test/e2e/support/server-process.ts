import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  output: () => string;
  process: ChildProcess;
  /** Sends SIGTERM (or the given signal) and resolves with the milliseconds it took to exit. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

export interface StartOptions {
  /**
   * Start it exactly as the README says, `npm start`, in a process group of its own (as a
   * terminal would), instead of running the server file with node.
   */
  viaNpm?: boolean;
}

/** Runs `npm start`'s entry (which builds first when the build is stale) in a child process with its own data folder. */
export async function startServer(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "carbonlabel-e2e-"));
  // The child is a normal server, not part of the test run: drop Vitest's and npm's variables.
  const parentEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && !key.startsWith("npm_")));
  const childEnv: NodeJS.ProcessEnv = {
    ...parentEnv,
    NODE_ENV: "production" as const,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    ...env,
  };
  const child = options.viaNpm
    ? spawn("npm", ["start"], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"], detached: true })
    : spawn(process.execPath, ["--import", "tsx", "app/serve.ts"], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 170 s:\n${output}`)), 170_000);
    const check = () => {
      if (output.includes("Ready. Stop with")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    url: `http://localhost:${port}`,
    port,
    output: () => output,
    process: child,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      const started = Date.now();
      child.kill(signal);
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return Date.now() - started;
    },
  };
}
