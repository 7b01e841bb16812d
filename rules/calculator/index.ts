/**
 * The calculator: `calculateFootprint(inventory, options)` for parsed inventories,
 * `calculateFromData(json, options)` for untrusted input (API, CLI).
 *
 * Options (`CalculationOptions`):
 * - `stagePolicy: "warn" | "enforce"` (`STAGE_POLICIES`) — what happens to a line in a life-cycle
 *   stage outside the PCR's system boundary. "warn", the default, is for the inventory editor: the
 *   line is counted and the result warns (`stage_outside_boundary`), so the editor keeps showing
 *   it with its finding. "enforce" is for the certification path (application, verification,
 *   issuance): each such line is a StageNotAllowedError located at the line's `stage`.
 * - `unusableLines: "refuse" | "exclude"` (`UNUSABLE_LINE_POLICIES`) — what happens to a line that
 *   cannot be calculated. "refuse", the default, names every such line as an error and calculates
 *   nothing: what the API, the CLI and the certification path need. "exclude" is for the editor:
 *   the line is left out, listed with its located errors in `result.incomplete`, and the result
 *   warns (`lines_unusable`); the rest is calculated (docs/decisions/0017).
 * - `pcrs`, `factors`: the PCR catalogue and factor library (defaults: the published ones).
 * - `canonicalMemo`: canonical texts of unchanged frozen lines, reused by the input hash.
 *
 * Refusals are RulesErrors (rules/errors.ts), each located at {productId, lineId, field} with a
 * bilingual text; several found at once come together as one InventoryRefusedError, whose
 * `errors` lists every one (docs/decisions/0013).
 */
export * from "./schema.ts";
export * from "./result.ts";
export {
  calculateFootprint,
  calculateFootprintFromData,
  calculateFromData,
  inventoryErrors,
  parseInventory,
  type CalculationOptions,
  type StagePolicy,
  type UnusableLinePolicy,
} from "./engine.ts";
export { STAGE_POLICIES, UNUSABLE_LINE_POLICIES } from "./steps/study.ts";
export { inputErrorsOf, LINE_ISSUE_KEYS, lineIssueMessage, locationOfPath, type LineIssueKey, type LineIssueMessage } from "./line-issues.ts";
export { DQR_CAVEAT, dqrRating, lineDqr, temporalScore } from "./quality.ts";
export { presentFootprint, type PresentedFootprint } from "./present.ts";
