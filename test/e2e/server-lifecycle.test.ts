/**
 * `npm start` on a fresh machine: a new embedded database is created, migrated and seeded, the
 * demo accounts are printed, the app answers, and SIGTERM stops it within 5 seconds.
 * The signal tests start the server exactly as the README says (`npm start`) and signal the PID a
 * person would: npm's own for `kill -TERM`, the whole process group for Ctrl+C.
 */
import net from "node:net";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { startServer } from "./support/server-process.ts";

/** True when nothing listens on the port any more (a new server could bind it). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** Sends requests without pause until stopped, as a busy server would see. */
function keepBusy(url: string): { stop: () => Promise<void> } {
  let running = true;
  const loops = Array.from({ length: 8 }, async () => {
    while (running)
      await fetch(`${url}/registry`)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

// Each test starts a server on a fresh database (migrate and seed): allow for a busy machine.
const START_AND_STOP_MS = 200_000;

describe("server lifecycle", () => {
  it(
    "starts on an empty data folder, prints the demo accounts, serves, and stops on SIGTERM within 5 s",
    async () => {
      const server = await startServer();
      try {
        const output = server.output();
        expect(output).toContain(DEMO_PASSWORD);
        for (const account of DEMO_ACCOUNTS) expect(output).toContain(account.email);
        const health = await fetch(`${server.url}/healthz`);
        expect(await health.json()).toEqual({ status: "ok" });
        // A cross-site form post is refused before any route runs.
        const forged = await fetch(`${server.url}/logout`, { method: "POST", headers: { Origin: "https://evil.example" } });
        expect(forged.status).toBe(403);
        // Keep a connection open, as a browser tab would.
        const keepAlive = fetch(`${server.url}/`, { keepalive: true });
        await keepAlive;
      } finally {
        const ms = await server.stop();
        expect(ms).toBeLessThan(5000);
      }
    },
    START_AND_STOP_MS,
  );

  it(
    "`npm start`, then `kill -TERM` of npm's PID: the server stops within 5 s and frees the port",
    async () => {
      const server = await startServer({}, { viaNpm: true });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const busy = keepBusy(server.url);
      const ms = await server.stop("SIGTERM");
      await busy.stop();
      expect(ms).toBeLessThan(5000);
      expect(server.output()).toContain("Stopped.");
      expect(await portIsFree(server.port)).toBe(true);
    },
    START_AND_STOP_MS,
  );

  it(
    "Ctrl+C (SIGINT to the process group) under load: npm returns only after the server has closed",
    async () => {
      const server = await startServer({}, { viaNpm: true });
      const busy = keepBusy(server.url);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const exited = new Promise<number>((resolve) => {
        const started = Date.now();
        server.process.once("exit", () => resolve(Date.now() - started));
      });
      // What a terminal does on Ctrl+C: the signal goes to every process of the foreground group.
      process.kill(-server.process.pid!, "SIGINT");
      const ms = await exited;
      // When npm has returned, the server has printed its last line and the port is free.
      expect(server.output()).toContain("Stopped.");
      expect(await portIsFree(server.port)).toBe(true);
      await busy.stop();
      expect(ms).toBeLessThan(5000);
      await server.stop().catch(() => undefined);
    },
    START_AND_STOP_MS,
  );
});
