/**
 * The case log of the footprint (CF) application that the route tests and the browser tests both
 * drive from opening to certificate: accepted, team and decider assigned, one finding raised,
 * answered and closed, review, on-site inspection and verification completed, granted.
 */
export const CF_LOG_WITH_ONE_FINDING = [
  "OPEN",
  "SUBMIT",
  "ACCEPT",
  "ASSIGN_TEAM",
  "ASSIGN_DECIDER",
  "START_REVIEW",
  "RAISE_FINDING",
  "ANSWER_FINDING",
  "CLOSE_FINDING",
  "COMPLETE_REVIEW",
  "RECORD_INSPECTION",
  "RECORD_VERIFICATION",
  "COMPLETE_VERIFICATION",
  "GRANT",
] as const;
