import type { TransportAddress } from "@icerpc-ts/core/transport";
import { checkNetworkAddress, checkTransportParams } from "@icerpc-ts/core/transport-helpers";

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
  checkNetworkAddress(address, name, minPort);
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
