import { StatusCode, type IncomingResponse, type Interceptor } from "@icerpc-ts/core";
import { checkIntegerOption } from "@icerpc-ts/primitives";

import { backoffDelay, sleep } from "./backoff.js";
import { ReplayablePayload } from "./replayable-payload.js";
import { isRetryableFailure, moveToAnotherReplica } from "./retry-policy.js";

export interface RetryOptions {
  /** Attempts per invocation, the first included. Default 2, as IceRPC's `RetryOptions.MaxAttempts`. */
  readonly maxAttempts?: number;
  /** Bytes of payload kept for replay; a larger payload is not retried. Default 1 MiB (IceRPC's 1 MB). */
  readonly maxPayloadSize?: number;
  /** Milliseconds before the first retry on the same server, doubled at each further one. Default 10. */
  readonly initialBackoff?: number;
  /** The longest wait between two attempts, in milliseconds. Default 1000. */
  readonly maxBackoff?: number;
}

/**
 * Sends a request again when that is safe: after InvocationCanceled; after ConnectionAborted or TruncatedData when
 * the request is idempotent; and on another replica after an Unavailable response. Requests with a payload
 * continuation, or with a payload larger than `maxPayloadSize`, are sent once. Retries on the same server wait a
 * backoff with jitter, so that clients that lost one server do not all come back at the same instant; a retry on
 * another replica does not wait. Install it after the deadline interceptor, before the connection cache.
 */
export function retryInterceptor(options: RetryOptions = {}): Interceptor {
  const { maxAttempts = 2, maxPayloadSize = 1024 * 1024, initialBackoff = 10, maxBackoff = 1000 } = options;
  checkIntegerOption("maxAttempts", maxAttempts, 1);
  checkIntegerOption("maxPayloadSize", maxPayloadSize, 0);
  checkIntegerOption("initialBackoff", initialBackoff, 0);
  checkIntegerOption("maxBackoff", maxBackoff, 0);
  return (next) => ({
    async invoke(request, signal): Promise<IncomingResponse> {
      if (maxAttempts === 1 || request.payloadContinuation !== undefined) {
        return next.invoke(request, signal);
      }
      const payload = new ReplayablePayload(request.payload, maxPayloadSize);
      try {
        for (let attempt = 1; ; attempt++) {
          request.payload = payload.next();
          const mayRetry = (): boolean => attempt < maxAttempts && payload.canReplay;
          let response: IncomingResponse;
          try {
            response = await next.invoke(request, signal);
          } catch (error) {
            if (!mayRetry() || !isRetryableFailure(error, request)) {
              throw error;
            }
            await sleep(backoffDelay(attempt, initialBackoff, maxBackoff), signal);
            continue;
          }
          if (response.statusCode !== StatusCode.Unavailable || !mayRetry() || !moveToAnotherReplica(request)) {
            return response;
          }
          response.payload.abort();
        }
      } finally {
        await payload.close();
      }
    },
  });
}
