import type { IncomingResponse } from "./incoming-response.js";
import type { OutgoingRequest } from "./outgoing-request.js";

/**
 * Sends requests: connections, connection caches, pipelines and interceptors are all invokers. The returned
 * response's payload must be read to its end or aborted by the caller.
 */
export interface Invoker {
  invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse>;
}

/** Wraps an invoker to add behaviour before and after it (deadline, retry, compression, logging...). */
export type Interceptor = (next: Invoker) => Invoker;
