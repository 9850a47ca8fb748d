import type { TransportAddress } from "@icerpc-ts/core/transport";
import { testCertificates } from "@icerpc-ts/net-test-support";
import type { TcpNetworkOptions } from "@icerpc-ts/tcp-network";

/** A loopback address of `transportName`, with an ephemeral port by default: free to listen on at each call. */
export function loopbackAddress(transportName: string, port = 0): TransportAddress {
  return { host: "127.0.0.1", port, transport: transportName, params: {} };
}

/** TLS options for both sides: the server presents its certificate, the client trusts the test CA. */
export function tlsTestOptions(): TcpNetworkOptions {
  const { ca, server } = testCertificates();
  return { clientTls: { ca }, serverTls: { cert: server.cert, key: server.key } };
}
