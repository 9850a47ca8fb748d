import { TransportRegistry } from "@icerpc-ts/core";
import { MemoryTransport } from "@icerpc-ts/transport-memory";
import { TcpTransport } from "@icerpc-ts/transport-tcp-slic";
import { TcpYamuxTransport } from "@icerpc-ts/transport-tcp-yamux";
import { WebSocketTransport } from "@icerpc-ts/transport-websocket";

/** Every transport the demo has installed; the server address picks one by name. */
export function installedTransports(): TransportRegistry {
  return new TransportRegistry().register(new MemoryTransport(), new TcpTransport(), new TcpYamuxTransport(), new WebSocketTransport());
}
