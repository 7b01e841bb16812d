/**
 * Certification cases on the database: the API the pages and the API routes use. See
 * docs/decisions/0006-case-persistence.md for the rules behind it.
 */
export { HOST, SCHEDULER, type CommandActor } from "./actors.ts";
export { startCaseWorkers, type CaseWorkerOptions, type CaseWorkers } from "./background.ts";
export {
  createCase,
  loadCase,
  nextSurveillanceDue,
  restoreCase,
  transition,
  type CreateCaseCommand,
  type LockedFootprint,
  type LockedFootprintSource,
  type NewCaseInput,
  type RestoredCase,
  type StoredCase,
  type TransitionCommand,
  type TransitionResult,
} from "./cases.ts";
export { StoredSnapshotError, UnknownMachineError } from "../registry.ts";
export { verifyChains, type ChainFinding, type ChainReport } from "./chain.ts";
export { parseCaseIdentity, type CaseIdentity } from "./identity.ts";
export { caseReference, LABEL_NAMES } from "./effects.ts";
export {
  ApplicationAlreadyOpenError,
  CaseConflictError,
  CaseError,
  CaseInputError,
  CaseNotFoundError,
  CreditSerialConflictError,
  EventNotAllowedError,
  CASE_MESSAGE_KEYS,
  isCaseError,
  isCaseMessageKey,
  type CaseMessageKey,
  type CaseMessageParams,
  type FieldIssue,
  type NotAllowedReason,
} from "./errors.ts";
export { UserEventSchema, type UserEvent, type UserEventInput } from "./events.ts";
export { LogMailer, mailerFromEnv, MemoryMailer, NoMailer, type MailMessage, type Mailer } from "./mailer.ts";
export {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  unreadNotificationCount,
  type NotificationItem,
} from "./notifications.ts";
export { drainOutbox, runOutboxOnce, runOutboxRows, type OutboxRun } from "./outbox.ts";
export { caseActions, caseHistory, getCase, listCases, type CaseFilter, type CaseListItem, type CaseView } from "./queries.ts";
export { dueEvents, runSchedulerOnce, type SchedulerRun } from "./scheduler.ts";
