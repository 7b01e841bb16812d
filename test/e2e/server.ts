/**
 * Starts the real server (`npm start`'s code path: build, migrate, seed, serve) on a free port with
 * a fresh embedded database for the browser tests, and stops it with SIGTERM afterwards.
 */
import type { TestProject } from "vitest/node";
import { startServer } from "./support/server-process.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startServer();
  project.provide("baseUrl", server.url);
  return async () => {
    await server.stop();
  };
}
