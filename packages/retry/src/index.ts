// @icerpc-ts/retry: `pipeline.use(retryInterceptor())`.
export { retryInterceptor, type RetryOptions } from "./retry-interceptor.js";
