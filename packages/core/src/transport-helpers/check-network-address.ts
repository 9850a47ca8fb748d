import type { TransportAddress } from "../transport/transport-address.js";

/**
 * Throws a `TypeError` when `address`, for a transport over a network (TCP, WebSocket, QUIC), names another
 * transport, has no host, or has a port out of `minPort` to 65535 (0 lets a listener pick one, 1 for a client).
 */
export function checkNetworkAddress(address: TransportAddress, name: string, minPort: number): void {
  if (address.transport !== undefined && address.transport !== name) {
    throw new TypeError(
      `The ${name} transport cannot use an address for transport '${address.transport}': use ?transport=${name}.`,
    );
  }
  if (address.host === "") {
    throw new TypeError(`A ${name} address needs a host: a host name or an IP address.`);
  }
  if (!Number.isInteger(address.port) || address.port < minPort || address.port > 65_535) {
    throw new TypeError(`Invalid port ${address.port} for ${name}: it must be an integer from ${minPort} to 65535.`);
  }
}
