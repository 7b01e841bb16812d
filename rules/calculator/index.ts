export * from "./schema.ts";
export * from "./result.ts";
export { calculateFootprint, calculateFootprintFromData, parseInventory, type CalculationOptions } from "./engine.ts";
export { LINE_ISSUE_KEYS, lineIssueMessage, type LineIssueKey, type LineIssueMessage } from "./line-issues.ts";
export { DQR_CAVEAT, dqrRating, lineDqr, temporalScore } from "./quality.ts";
export { presentFootprint, type PresentedFootprint } from "./present.ts";
