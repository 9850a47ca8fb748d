import { networkTests } from "./network-tests.js";
import { tlsTests } from "./tls-tests.js";
import type { TcpTransportUnderTest } from "./transport-under-test.js";

/** Every test of a transport over tcp-network, for the transport's own test file to run. */
export function tcpTransportTests(transport: TcpTransportUnderTest): void {
  networkTests(transport);
  tlsTests(transport);
}
