// The transport configurations the shared suites run over: plain TCP, and TLS with the test CA.
import type { TransportAddress } from "@icerpc-ts/core/transport";
import { loopbackAddress as loopbackAddressOf, tlsTestOptions } from "@icerpc-ts/tcp-transport-tests";

import { TcpYamuxTransport, type TcpYamuxTransportOptions } from "../../src/index.js";

/** A fresh loopback address with an ephemeral port: free to listen on at each call. */
export function loopbackAddress(): TransportAddress {
  return loopbackAddressOf("tcp-yamux");
}

export const tlsOptions: () => TcpYamuxTransportOptions = tlsTestOptions;

/** One instance as both client and server transport. */
export function transportPair(options: TcpYamuxTransportOptions = {}): { client: TcpYamuxTransport; server: TcpYamuxTransport } {
  const transport = new TcpYamuxTransport(options);
  return { client: transport, server: transport };
}
