export { IncomingResponse } from "./incoming-response.js";
export type { Interceptor, Invoker } from "./invoker.js";
export { OutgoingRequest, type OutgoingRequestInit } from "./outgoing-request.js";
export { Pipeline } from "./pipeline.js";
