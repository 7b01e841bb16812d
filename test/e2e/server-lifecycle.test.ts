/**
 * `npm start` on a fresh machine: a new embedded database is created, migrated and seeded, the
 * demo accounts are printed, the app answers, and SIGTERM stops it within 5 seconds.
 */
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed/demo.ts";
import { startServer } from "./support/server-process.ts";

describe("server lifecycle", () => {
  it("starts on an empty data folder, prints the demo accounts, serves, and stops on SIGTERM within 5 s", async () => {
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
  });
});
