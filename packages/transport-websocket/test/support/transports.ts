// The transport configurations the shared suites run over: ws, and wss with the test CA.
import type { TransportAddress } from "@icerpc-ts/core/transport";
import { testCertificates } from "@icerpc-ts/net-test-support";

import { WebSocketTransport, type WebSocketTransportOptions } from "../../src/index.js";

/** A fresh loopback address with an ephemeral port: free to listen on at each call. */
export function loopbackAddress(transport: "ws" | "wss"): () => TransportAddress {
  return () => ({ host: "127.0.0.1", port: 0, transport, params: {} });
}

/** wss options for both sides: the server presents its certificate, the client trusts the test CA. */
export function wssOptions(): WebSocketTransportOptions {
  const { ca, server } = testCertificates();
  return { secure: true, clientTls: { ca }, serverTls: { cert: server.cert, key: server.key } };
}

/** One instance as both client and server transport. */
export function transportPair(options: WebSocketTransportOptions = {}): {
  client: WebSocketTransport;
  server: WebSocketTransport;
} {
  const transport = new WebSocketTransport(options);
  return { client: transport, server: transport };
}
