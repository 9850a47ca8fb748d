import type { Socket } from "node:net";

import { socketPair } from "./loopback.js";

/**
 * A connected pair of sockets whose bytes go through a relay that delivers each chunk `latency` milliseconds after it
 * arrived, in order: a long network path (a round trip of twice `latency`), which delivers in the pieces TCP gives.
 * An end or a close of one socket reaches the other `latency` later, so destroying both ends tears the relay down.
 */
export async function delayedSocketPair(latency: number): Promise<[Socket, Socket]> {
  const [client, relayIn] = await socketPair();
  const [relayOut, server] = await socketPair();
  forwardLater(relayIn, relayOut, latency);
  forwardLater(relayOut, relayIn, latency);
  return [client, server];
}

function forwardLater(from: Socket, to: Socket, latency: number): void {
  from.on("data", (chunk: Buffer) => setTimeout(() => to.write(chunk), latency));
  from.on("end", () => setTimeout(() => to.end(), latency));
  from.on("close", () => setTimeout(() => to.destroy(), latency));
  from.on("error", () => {}); // the close that follows is forwarded
}
