/**
 * The environment, parsed once with Zod at start-up: every variable the server reads is declared
 * here, so a wrong value stops the server with a message naming the variable instead of surfacing
 * later as odd behaviour. Secrets come from the environment or, outside production, from generated
 * files under DATA_DIR that never leave this machine.
 *
 * "Production" here means a real deployment: NODE_ENV=production with an external database
 * (DATABASE_URL). `npm start` on a laptop also runs with NODE_ENV=production but on the embedded
 * database; it keeps working without configuration (generated secrets, links to localhost).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const onOff = (name: string) => z.enum(["on", "off"], { error: `${name} must be "on" or "off"` });
const trueFalse = (name: string) => z.enum(["true", "false"], { error: `${name} must be "true" or "false"` });
const wholeNumber = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

/** An origin only: scheme, host and port, no path, query or credentials (links are built from it). */
const publicOrigin = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === "https:" || url.protocol === "http:") &&
        !url.username &&
        !url.password &&
        (url.pathname === "/" || url.pathname === "") &&
        !url.search &&
        !url.hash
      );
    } catch {
      return false;
    }
  }, "PUBLIC_ORIGIN must be an origin such as https://carbonlabel.example.cn (http or https, no path)")
  .transform((value) => new URL(value).origin);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"], { error: 'NODE_ENV must be "development", "production" or "test"' }).default("development"),
  PORT: wholeNumber("PORT", 0, 65535).default(3000),
  HOST: z.string().min(1, "HOST must not be empty").default("0.0.0.0"),
  DATA_DIR: z.string().min(1, "DATA_DIR must not be empty").default("data"),
  /** A real PostgreSQL; without it the embedded database under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: wholeNumber("DATABASE_POOL_SIZE", 1, 1000).default(10),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  /** The public origin (https://carbonlabel.example.cn) used in every absolute link and QR code. */
  PUBLIC_ORIGIN: publicOrigin.optional(),
  /** Secure cookies; on by default in production. `false` only for plain-http test deployments. */
  COOKIE_SECURE: trueFalse("COOKIE_SECURE").optional(),
  /** Load demo data into an empty database; default on for the embedded database only. */
  DEMO_DATA: onOff("DEMO_DATA").optional(),
  /** Behind a reverse proxy: client addresses and scheme from X-Forwarded-*. Never trusted otherwise. */
  TRUST_PROXY: trueFalse("TRUST_PROXY").default("false"),
  /** This server's outbox runner and scheduler. */
  BACKGROUND_JOBS: onOff("BACKGROUND_JOBS").default("on"),
  MAIL_TRANSPORT: z.enum(["log", "none"], { error: 'MAIL_TRANSPORT must be "log" or "none"' }).optional(),
  /** Certificate signing keys per body (docs/decisions/0007); checked in detail by the key store. */
  CARBONLABEL_SIGNING_KEYS: z
    .string()
    .refine((value) => {
      try {
        const parsed: unknown = JSON.parse(value);
        return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
      } catch {
        return false;
      }
    }, 'CARBONLABEL_SIGNING_KEYS must be a JSON object { "<CB code>": [ … ] }')
    .optional(),
  /** Public lookups per client: a burst size refilled over a minute, or `off`. */
  VERIFY_RATE_LIMIT: z
    .union([z.literal("off"), wholeNumber("VERIFY_RATE_LIMIT", 1, 1_000_000)], { error: 'VERIFY_RATE_LIMIT must be a whole number ≥ 1 or "off"' })
    .optional(),
  CERTIFICATE_API_CACHE_MS: wholeNumber("CERTIFICATE_API_CACHE_MS", 0, 3_600_000).default(1000),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `The server cannot start; fix these environment variables (see the configuration table in README.md):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "EnvironmentError";
  }
}

/** A real deployment: production mode on an external database (see the module comment). */
export function isProductionDeployment(config: Pick<Env, "NODE_ENV" | "DATABASE_URL">): boolean {
  return config.NODE_ENV === "production" && Boolean(config.DATABASE_URL);
}

/**
 * Parses an environment. Empty values count as unset (a blank `FOO=` line in a unit file is
 * common). Every problem is reported at once, each naming its variable.
 */
export function parseEnvironment(source: Record<string, string | undefined>): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new EnvironmentError(parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)));
  }
  const config = parsed.data;
  if (isProductionDeployment(config)) {
    const missing: string[] = [];
    if (!config.PUBLIC_ORIGIN) missing.push("PUBLIC_ORIGIN is required in production: the origin that certificates' QR codes and links point to");
    if (!config.SESSION_SECRET) missing.push("SESSION_SECRET is required in production (at least 32 random characters)");
    if (!config.CARBONLABEL_SIGNING_KEYS) missing.push("CARBONLABEL_SIGNING_KEYS is required in production (docs/decisions/0007)");
    if (missing.length) throw new EnvironmentError(missing);
  }
  return config;
}

let cached: Env | undefined;
/** This process's environment, parsed on first use (app/serve.ts calls it before anything else). */
export function env(): Env {
  cached ??= parseEnvironment(process.env);
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
  if (isProductionDeployment(env())) {
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
