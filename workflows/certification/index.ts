export * from "./types.ts";
export { assessGrant, onsiteRequired, openFindings } from "./assessment.ts";
export {
  CERTIFICATION_MACHINE_ID,
  CERTIFICATION_MACHINE_KEY,
  CERTIFICATION_MACHINE_VERSION,
  certificationMachine,
  type CertificationMachine,
} from "./machine.ts";
export { createCaseInput, effectsOf, startCase, step, type CertificationSnapshot, type NewCase, type StepResult } from "./case.ts";
export * from "./presentation.ts";
