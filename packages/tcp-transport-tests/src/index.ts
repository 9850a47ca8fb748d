// What every transport over @icerpc-ts/tcp-network must do, as jest suites: each such transport runs them with its
// own factory, so that TCP and TLS behave the same whatever multiplexes them.
export { expectIceRpcError } from "./fixture.js";
export { tcpTransportTests } from "./tcp-transport-tests.js";
export { loopbackAddress, tlsTestOptions } from "./test-options.js";
export type { TcpBasedTransport, TcpTransportUnderTest } from "./transport-under-test.js";
// For the suites of transports whose networks are built on tcp-network's socket handling (the WebSocket transport).
export { errorOf, Fixture, options } from "./fixture.js";
