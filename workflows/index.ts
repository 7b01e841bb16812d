export * from "./certification/index.ts";
export * from "./registry.ts";
