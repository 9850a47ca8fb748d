import type { ServerAddress } from "../address/server-address.js";
import type { TransportAddress } from "../transport/transport-address.js";

/** The part of a server address a transport sees: where to connect or listen, without the protocol. */
export function toTransportAddress(serverAddress: ServerAddress): TransportAddress {
  const { host, port, transport, params } = serverAddress;
  return transport === undefined ? { host, port, params } : { host, port, transport, params };
}
