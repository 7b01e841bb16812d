/**
 * The environment, parsed once with Zod at start-up. Secrets come from the environment or, outside
 * production, from generated files under DATA_DIR that never leave this machine.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("data"),
  DATABASE_URL: z.string().optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  /** The public origin (https://carbonlabel.example.cn) used in links and QR codes. */
  PUBLIC_ORIGIN: z.string().url().optional(),
  /** Secure cookies; on by default in production. `false` only for plain-http test deployments. */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;
export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
      throw new Error(`Invalid environment:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function dataDir(): string {
  return path.resolve(env().DATA_DIR);
}

/**
 * Reads a secret from the environment, or (outside production) from a file under DATA_DIR,
 * creating it with fresh random bytes the first time.
 */
export function secretFromEnvOrFile(value: string | undefined, fileName: string): string {
  if (value) return value;
  if (env().NODE_ENV === "production" && env().DATABASE_URL) {
    throw new Error(`In production with an external database the secret for ${fileName} must come from the environment.`);
  }
  const file = path.join(dataDir(), fileName);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir(), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

export function cookiesAreSecure(): boolean {
  const e = env();
  if (e.COOKIE_SECURE) return e.COOKIE_SECURE === "true";
  return e.NODE_ENV === "production";
}
