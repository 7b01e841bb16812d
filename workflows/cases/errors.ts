/**
 * What can go wrong with a case command, as typed errors that carry their HTTP status and a
 * message in both languages, so a route can answer without knowing the reasons itself.
 */
import { bi, type Bilingual } from "../../rules/i18n.ts";

export abstract class CaseError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: 403 | 404 | 409 | 422;
  constructor(readonly userMessage: Bilingual) {
    super(userMessage.en);
    this.name = new.target.name;
  }
}

/** No such case, or one the caller's organization is not a party to (answered like a missing one). */
export class CaseNotFoundError extends CaseError {
  readonly code = "CaseNotFound";
  readonly httpStatus = 404;
  constructor(readonly caseId: string) {
    super(bi("案件不存在", "No such case"));
  }
}

/**
 * Someone else changed the case between the caller's read and write (optimistic lock).
 * `detectedAt` says whether the version was already stale when loaded or lost the race to write.
 */
export class CaseConflictError extends CaseError {
  readonly code = "CaseConflict";
  readonly httpStatus = 409;
  constructor(
    readonly caseId: string,
    readonly expectedVersion: number,
    readonly detectedAt: "load" | "write",
  ) {
    super(bi("此案件已被他人更改，请刷新后重试", "This case changed, reload it and try again"));
  }
}

/**
 * The event may not be sent now. `state`: the current state has no such step (409). `actor`: the
 * step exists but not for this user, role or organization (403). `separation_of_duties`: the
 * user took a part in this case that excludes this step (403). `condition`: the user may take the
 * step but a condition does not hold, e.g. findings still open (409).
 */
export type NotAllowedReason = "state" | "actor" | "separation_of_duties" | "condition";

const NOT_ALLOWED_MESSAGES: Record<NotAllowedReason, Bilingual> = {
  state: bi("案件当前状态下不能执行此操作", "This action is not possible in the case's current state"),
  actor: bi("您无权对此案件执行此操作", "You may not take this action on this case"),
  separation_of_duties: bi(
    "职责分离：您在本案中担任的角色不允许执行此操作",
    "Separation of duties: your part in this case excludes this action",
  ),
  condition: bi("执行此操作的条件尚未满足", "The conditions for this action are not met"),
};

export class EventNotAllowedError extends CaseError {
  readonly code = "EventNotAllowed";
  readonly httpStatus: 403 | 409;
  constructor(
    readonly caseId: string,
    readonly eventType: string,
    readonly state: string,
    readonly reason: NotAllowedReason,
    detail?: Bilingual,
  ) {
    super(detail ?? NOT_ALLOWED_MESSAGES[reason]);
    this.httpStatus = reason === "actor" || reason === "separation_of_duties" ? 403 : 409;
  }
}

/** One field that failed a rule: `field` is the payload path ("finding.dueOn"), `rule` the rule's name. */
export interface FieldIssue {
  readonly field: string;
  readonly rule: string;
  readonly message: Bilingual;
}

/** The command's input broke a rule (payload shape, an unknown assignee, an inventory of another product…). */
export class CaseInputError extends CaseError {
  readonly code = "CaseInput";
  readonly httpStatus = 422;
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues[0]?.message ?? bi("输入有误", "The input is invalid"));
  }
}

/** A retired-credit serial range overlaps one already used (on this or any other case). */
export class CreditSerialConflictError extends CaseError {
  readonly code = "CreditSerialConflict";
  readonly httpStatus = 409;
  constructor(readonly caseId: string) {
    super(
      bi(
        "所注销碳信用的序列号与已使用的序列号重叠：同一序列号不能重复使用",
        "A retired credit serial range overlaps serials already used: a credit serial can be used only once",
      ),
    );
  }
}

export function isCaseError(error: unknown): error is CaseError {
  return error instanceof CaseError;
}
