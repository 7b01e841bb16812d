export * from "./schema.ts";
export * from "./catalogue.ts";
export { PUBLISHED_PCR_HASHES } from "./published.ts";
