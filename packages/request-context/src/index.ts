// @icerpc-ts/request-context: `pipeline.use(requestContextInterceptor())`, `router.use(requestContextMiddleware())`.
export { decodeRequestContext, encodeRequestContext } from "./request-context-codec.js";
export { requestContextFeature } from "./request-context-feature.js";
export { requestContextInterceptor } from "./request-context-interceptor.js";
export { requestContextMiddleware } from "./request-context-middleware.js";
