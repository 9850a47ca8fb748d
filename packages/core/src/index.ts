export * from "./errors/index.js";
export * from "./transport/index.js";
export * from "./address/index.js";
export * from "./codec/index.js";
