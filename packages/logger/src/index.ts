export type { LogFields, Logger } from "./logger.js";
export { loggerInterceptor } from "./logger-interceptor.js";
export { loggerMiddleware } from "./logger-middleware.js";
