export * from "./errors/index.js";
export * from "./transport/index.js";
