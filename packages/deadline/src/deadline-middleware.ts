import {
  DispatchException,
  IncomingRequest,
  InvalidDataError,
  OutgoingResponse,
  RequestFieldKey,
  StatusCode,
  type Middleware,
} from "@icerpc-ts/core";
import { LazyAbortSignal, followAbort, unfollowAbort } from "@icerpc-ts/primitives";

import { deadlineFeature, maxEnforceableTimeout } from "./deadline-feature.js";
import { decodeDeadline } from "./ticks.js";

const expired = "The request deadline has expired.";

/**
 * Decodes request field 3 into the request's `deadlineFeature` and bounds the dispatch by it: a request whose
 * deadline has passed gets DeadlineExceeded at once; otherwise the dispatch's signal aborts at the deadline, and a
 * dispatch that fails once the deadline has passed gets DeadlineExceeded. One-way requests are bounded the same way.
 */
export function deadlineMiddleware(): Middleware {
  return (next) => ({
    async dispatch(request) {
      const value = request.fields.get(RequestFieldKey.Deadline);
      if (value === undefined) {
        return next.dispatch(request);
      }
      const deadline = decodeField(value);
      request.features.set(deadlineFeature, deadline);
      const timeout = deadline - Date.now();
      if (timeout <= 0) {
        return deadlineExceeded();
      }
      if (timeout > maxEnforceableTimeout) {
        return new OutgoingResponse({
          statusCode: StatusCode.NotSupported,
          errorMessage: `The request deadline is ${timeout} ms away, beyond the ${maxEnforceableTimeout} ms this server can enforce.`,
        });
      }
      // The dispatch sees a request whose signal also aborts at the deadline: the connection's signal cannot be
      // aborted from here.
      const cancellation = new LazyAbortSignal();
      const onAbort = (reason: unknown): void => cancellation.abort(reason);
      if (request.signal.aborted) {
        cancellation.abort(request.signal.reason);
      }
      followAbort(request.signal, onAbort);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        cancellation.abort(new DOMException(expired, "TimeoutError"));
      }, timeout);
      const bounded = new IncomingRequest({
        path: request.path,
        operation: request.operation,
        isOneway: request.isOneway,
        fields: request.fields,
        payload: request.payload,
        connectionContext: request.connectionContext,
        features: request.features,
        cancellation,
      });
      try {
        return await next.dispatch(bounded);
      } catch (error) {
        // Also when the caller's own deadline canceled the dispatch a moment before this timer fired.
        if (timedOut || Date.now() >= deadline) {
          return deadlineExceeded();
        }
        throw error;
      } finally {
        clearTimeout(timer);
        unfollowAbort(request.signal, onAbort);
      }
    },
  });
}

function decodeField(value: Uint8Array): number {
  try {
    return decodeDeadline(value);
  } catch (error) {
    if (error instanceof InvalidDataError) {
      throw new DispatchException(StatusCode.InvalidData, `Invalid deadline field: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function deadlineExceeded(): OutgoingResponse {
  return new OutgoingResponse({ statusCode: StatusCode.DeadlineExceeded, errorMessage: expired });
}
