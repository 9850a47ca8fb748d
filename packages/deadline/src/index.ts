// @icerpc-ts/deadline: `pipeline.use(deadlineInterceptor())`, `router.use(deadlineMiddleware())`.
export { deadlineFeature, deadlineIn, maxEnforceableTimeout } from "./deadline-feature.js";
export { deadlineInterceptor, type DeadlineInterceptorOptions } from "./deadline-interceptor.js";
export { deadlineMiddleware } from "./deadline-middleware.js";
export { decodeDeadline, encodeDeadline } from "./ticks.js";
