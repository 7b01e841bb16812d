export * from "./schema.ts";
export * from "./library.ts";
export { CN_DEMO_2026_1 } from "./datasets/cn-demo-2026.1.ts";
