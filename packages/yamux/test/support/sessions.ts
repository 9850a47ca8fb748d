// Building connected sessions for tests, and small stream helpers.
import type { Socket } from "node:net";

import { concatBytes, SocketChannel } from "@icerpc-ts/primitives";
import {
  delayedSocketPair,
  type MemoryChannel,
  type MemoryChannelOptions,
  memoryChannelPair,
  socketPair,
} from "@icerpc-ts/net-test-support";
import { type YamuxSessionOptions, YamuxSession, type YamuxStream } from "../../src/index.js";

export interface MemorySessionPair {
  client: YamuxSession;
  server: YamuxSession;
  /** The channel the client writes to (and receives from). */
  clientChannel: MemoryChannel;
  serverChannel: MemoryChannel;
}

const open: YamuxSession[] = [];

/** Disposes every session the helpers created; call it in `afterEach`. */
export function disposeSessions(): void {
  for (const session of open.splice(0)) {
    session.dispose();
  }
}

/** Registers a session for `disposeSessions`. */
export function track(session: YamuxSession): YamuxSession {
  open.push(session);
  return session;
}

/** Session options without keep-alive, for tests whose frames must be deterministic. */
export const noKeepAlive: YamuxSessionOptions = Object.freeze({ keepAliveInterval: 0 });

/** A memory session pair without keep-alive whose channels record every byte written. */
export function recordingPair(options: { client?: YamuxSessionOptions; server?: YamuxSessionOptions } = {}) {
  return memorySessionPair({
    client: { ...noKeepAlive, ...options.client },
    server: { ...noKeepAlive, ...options.server },
    clientChannel: { record: true },
    serverChannel: { record: true },
  });
}

export function memorySessionPair(
  options: {
    client?: YamuxSessionOptions;
    server?: YamuxSessionOptions;
    clientChannel?: MemoryChannelOptions;
    serverChannel?: MemoryChannelOptions;
  } = {},
): MemorySessionPair {
  const [clientChannel, serverChannel] = memoryChannelPair(options.clientChannel, options.serverChannel);
  const client = track(new YamuxSession(clientChannel, "client", options.client));
  const server = track(new YamuxSession(serverChannel, "server", options.server));
  return { client, server, clientChannel, serverChannel };
}

/** Sessions over loopback TCP; with `latency`, through a relay that delays each chunk by that many milliseconds. */
export async function tcpSessionPair(
  options: { client?: YamuxSessionOptions; server?: YamuxSessionOptions; latency?: number } = {},
): Promise<{ client: YamuxSession; server: YamuxSession; clientSocket: Socket; serverSocket: Socket }> {
  const [clientSocket, serverSocket] =
    options.latency === undefined ? await socketPair() : await delayedSocketPair(options.latency);
  clientSocket.setNoDelay(true);
  serverSocket.setNoDelay(true);
  const client = track(new YamuxSession(new SocketChannel(clientSocket), "client", options.client));
  const server = track(new YamuxSession(new SocketChannel(serverSocket), "server", options.server));
  return { client, server, clientSocket, serverSocket };
}

/** Reads `stream` to its FIN and returns the bytes joined. */
export async function readAll(stream: YamuxStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/** `size` bytes of a deterministic pattern that `seed` varies. */
export function pattern(size: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/**
 * Resolves with "pending" if `promise` has not settled within `ms` milliseconds. This race against a short timer
 * is the one allowed use of a timer in these tests: it asserts that something stays pending.
 */
export function stillPending(promise: Promise<unknown>, ms = 50): Promise<"settled" | "pending"> {
  return Promise.race([
    promise.then(
      () => "settled" as const,
      () => "settled" as const,
    ),
    new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms)),
  ]);
}

/**
 * Observes `promise` at once (so that its rejection is not reported as unhandled while the test awaits something
 * else) and resolves with how it settled.
 */
export function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}
