import { TransportRegistry } from "@icerpc-ts/core";
import { MemoryTransport } from "@icerpc-ts/transport-memory";
import { TcpYamuxTransport } from "@icerpc-ts/transport-tcp-yamux";

/** The transports the tests run over: in-process, and end to end over real TCP sockets. */
export const testTransports = ["memory", "tcp-yamux"] as const;
export type TestTransport = (typeof testTransports)[number];

export const transports = new TransportRegistry().register(new MemoryTransport()).register(new TcpYamuxTransport());

let memoryServers = 0;

/** A server address to listen on over `transport`, unique per call over memory, an ephemeral port over TCP. */
export function listenAddress(transport: TestTransport): string {
  return transport === "memory" ? `icerpc://metrics-${++memoryServers}?transport=memory` : "icerpc://127.0.0.1:0?transport=tcp-yamux";
}
