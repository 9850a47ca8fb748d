import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";

import type { TlsConnectionInformation, TransportConnectionInformation } from "@icerpc-ts/core/transport";

/** What a connection over `socket` reports: both ends' addresses and, for TLS, the session's details. */
export function connectionInformationOf(socket: Socket): TransportConnectionInformation {
  const addresses = {
    localNetworkAddress: { host: socket.localAddress ?? "", port: socket.localPort ?? 0 },
    remoteNetworkAddress: { host: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
  };
  return socket instanceof TLSSocket ? { ...addresses, tls: tlsInformationOf(socket) } : addresses;
}

function tlsInformationOf(socket: TLSSocket): TlsConnectionInformation {
  // An empty object when the peer sent no certificate (a client that was not asked for one).
  const raw = (socket.getPeerCertificate() as { raw?: Uint8Array } | null)?.raw;
  // false when no application protocol was negotiated.
  const applicationProtocol = socket.alpnProtocol;
  return {
    protocol: socket.getProtocol() ?? "unknown",
    cipher: socket.getCipher().standardName,
    ...(raw === undefined ? {} : { peerCertificate: new Uint8Array(raw) }),
    ...(typeof applicationProtocol === "string" ? { applicationProtocol } : {}),
  };
}

/** `host:port`, with brackets around an IPv6 host, for messages. */
export function describeEndpoint(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
