// The transport configurations the shared suites run over: plain TCP, and TLS with the test CA.
import type { TransportAddress } from "@icerpc-ts/core/transport";
import { loopbackAddress as loopbackAddressOf, tlsTestOptions } from "@icerpc-ts/tcp-transport-tests";

import { TcpTransport, type TcpTransportOptions } from "../../src/index.js";

/** A fresh loopback address with an ephemeral port: free to listen on at each call. */
export function loopbackAddress(): TransportAddress {
  return loopbackAddressOf("tcp");
}

export const tlsOptions: () => TcpTransportOptions = tlsTestOptions;

/** One instance as both client and server transport. */
export function transportPair(options: TcpTransportOptions = {}): { client: TcpTransport; server: TcpTransport } {
  const transport = new TcpTransport(options);
  return { client: transport, server: transport };
}
