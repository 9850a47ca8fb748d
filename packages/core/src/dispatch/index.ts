export type { ConnectionContext } from "./connection-context.js";
export { DispatchException } from "./dispatch-exception.js";
export type { DispatchFunction, Dispatcher, Middleware } from "./dispatcher.js";
export { IncomingRequest } from "./incoming-request.js";
export { OutgoingResponse, type OutgoingResponseInit } from "./outgoing-response.js";
export { Router } from "./router.js";
