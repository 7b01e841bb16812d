/**
 * E-mail delivery behind an interface. Development logs each message to the console (`log`);
 * tests and installations without mail use `none`; an SMTP or API transport implements the same
 * one method. The idempotency key travels as the Message-ID so a receiver can drop a duplicate
 * if a send succeeds but its commit does not.
 */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly idempotencyKey: string;
}

export interface Mailer {
  /** The transport's name, written to the e-mail log. */
  readonly transport: string;
  send(message: MailMessage): Promise<void>;
}

/** Writes each message to the console (development). */
export class LogMailer implements Mailer {
  readonly transport = "log";
  async send(message: MailMessage): Promise<void> {
    console.info(`[mail] to ${message.to} · ${message.subject}\n${message.text}\n[mail] message-id ${message.idempotencyKey}`);
  }
}

/** Delivers nothing; the e-mail log still records what would have been sent. */
export class NoMailer implements Mailer {
  readonly transport = "none";
  async send(): Promise<void> {}
}

/** Keeps every message in memory, for tests that read what was sent. */
export class MemoryMailer implements Mailer {
  readonly transport = "memory";
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** `MAIL_TRANSPORT`: `log` (default outside production and tests), `none`. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer {
  const transport = env.MAIL_TRANSPORT ?? (env.NODE_ENV === "test" ? "none" : "log");
  switch (transport) {
    case "log":
      return new LogMailer();
    case "none":
      return new NoMailer();
    default:
      throw new Error(`MAIL_TRANSPORT must be "log" or "none", not "${transport}"`);
  }
}
