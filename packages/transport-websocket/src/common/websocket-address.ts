import type { TransportAddress } from "@icerpc-ts/core/transport";
import { checkTransportParams } from "@icerpc-ts/core/transport-helpers";

/** The WebSocket subprotocol both sides must agree on (`Sec-WebSocket-Protocol: icerpc`). */
export const subprotocol = "icerpc";

/** The resource of the WebSocket when the address has no `path` parameter. */
export const defaultPath = "/icerpc";

/** The transport names: `ws` (plain) and `wss` (TLS). */
export type WebSocketTransportName = "ws" | "wss";

/**
 * The URL path an address names (its `path` parameter, `/icerpc` by default). Throws `TypeError` for an invalid
 * address: another transport, an unknown parameter, a missing host, a bad port, a path that is not absolute.
 */
export function checkWebSocketAddress(address: TransportAddress, name: WebSocketTransportName, minPort: number): string {
  checkTransportParams(address, name, ["path"]);
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
  const path = address.params["path"] ?? defaultPath;
  if (!path.startsWith("/") || /[\s?#]/.test(path)) {
    throw new TypeError(
      `Invalid path '${path}' for ${name}: it must start with '/' and hold no space, '?' or '#' (e.g. path=/icerpc).`,
    );
  }
  return path;
}

/** The URL a client opens for `address`, e.g. `wss://[::1]:4062/icerpc`. */
export function webSocketUrl(address: TransportAddress, name: WebSocketTransportName, path: string): string {
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${name}://${host}:${address.port}${path}`;
}
