export * from "./schema.ts";
export * from "./library.ts";
export * from "./grid.ts";
export { CN_DEMO_2026_1 } from "./datasets/cn-demo-2026.1.ts";
export { CN_DEMO_2026_2 } from "./datasets/cn-demo-2026.2.ts";
export { CN_PUBLISHED_2026_1 } from "./datasets/cn-published-2026.1.ts";
