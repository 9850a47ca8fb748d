import type { IncomingRequest } from "./incoming-request.js";
import type { OutgoingResponse } from "./outgoing-response.js";

/**
 * Handles requests: services, middleware and routers are dispatchers. `request.signal` aborts when the caller
 * cancels the invocation or the connection goes away. A thrown error becomes an error response (see
 * `DispatchException`).
 */
export interface Dispatcher {
  dispatch(request: IncomingRequest): Promise<OutgoingResponse> | OutgoingResponse;
}

/** Wraps a dispatcher to add behaviour before and after it. */
export type Middleware = (next: Dispatcher) => Dispatcher;

/** A dispatcher written as a function. */
export type DispatchFunction = Dispatcher["dispatch"];

/** Accepts a dispatcher or a plain function. */
export function toDispatcher(dispatcher: Dispatcher | DispatchFunction): Dispatcher {
  return typeof dispatcher === "function" ? { dispatch: dispatcher } : dispatcher;
}
