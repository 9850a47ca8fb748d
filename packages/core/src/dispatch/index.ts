export type { ConnectionContext } from "./connection-context.js";
export { DispatchException, errorToResponse } from "./dispatch-exception.js";
export { toDispatcher, type DispatchFunction, type Dispatcher, type Middleware } from "./dispatcher.js";
export { IncomingRequest } from "./incoming-request.js";
export { OutgoingResponse, type OutgoingResponseInit } from "./outgoing-response.js";
export { Router } from "./router.js";
