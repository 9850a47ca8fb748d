// @icerpc-ts/core: what an application uses. Transport authors find the contract in ./transport and the helpers
// transports share in ./transport-helpers; generated Slice code uses ./codec (see the package README).
export * from "./address/index.js";
export * from "./connection/index.js";
export * from "./dispatch/index.js";
export * from "./errors/index.js";
export * from "./features/index.js";
export * from "./invocation/index.js";
export * from "./protocol/index.js";
// Applications register the transports they installed.
export { TransportRegistry } from "./transport/transport-registry.js";
