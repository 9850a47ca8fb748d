// The transport configurations the shared suites run over: plain TCP, and TLS with the test CA.
import type { TransportAddress } from "@icerpc-ts/core/transport";

import { TcpYamuxTransport, type TcpYamuxTransportOptions } from "../../src/index.js";
import { testCertificates } from "@icerpc-ts/net-test-support";

/** A fresh loopback address with an ephemeral port: free to listen on at each call. */
export function loopbackAddress(): TransportAddress {
  return { host: "127.0.0.1", port: 0, transport: "tcp-yamux", params: {} };
}

/** TLS options for both sides: the server presents its certificate, the client trusts the test CA. */
export function tlsOptions(): TcpYamuxTransportOptions {
  const { ca, server } = testCertificates();
  return { clientTls: { ca }, serverTls: { cert: server.cert, key: server.key } };
}

/** One instance as both client and server transport. */
export function transportPair(options: TcpYamuxTransportOptions = {}): {
  client: TcpYamuxTransport;
  server: TcpYamuxTransport;
} {
  const transport = new TcpYamuxTransport(options);
  return { client: transport, server: transport };
}
