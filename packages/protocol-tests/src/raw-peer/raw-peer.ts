import { SliceDecoder } from "@icerpc-ts/core/codec";
import type {
  Listener,
  MultiplexedClientTransport,
  MultiplexedConnection,
  MultiplexedConnectionOptions,
  MultiplexedStream,
  TransportAddress,
} from "@icerpc-ts/core/transport";

import { RawReader } from "./raw-reader.js";
import { ControlFrameType, settingsFrame } from "./wire-format.js";

/** How a raw request or response stream is finished after its bytes: ended, aborted (reset), or left open. */
export type StreamFinish = "end" | "abort" | "open";

/** The stream limits of a raw peer's connection: as a connection with a dispatcher (100 each, +1 for control). */
export const rawPeerConnectionOptions: MultiplexedConnectionOptions = Object.freeze({
  maxBidirectionalStreams: 100,
  maxUnidirectionalStreams: 101,
  handshakeTimeout: 10_000,
});

/**
 * Creates a stream on `connection` and sends `bytes` on it, then finishes it as asked. This works on any transport
 * connection, including the one under a real icerpc connection: that is how a test sends a malformed request while
 * the real connection stays usable, as IceRPC C#'s tests do.
 */
export async function sendRawStream(
  connection: MultiplexedConnection,
  bytes: Uint8Array,
  options: { bidirectional?: boolean; finish?: StreamFinish } = {},
): Promise<MultiplexedStream> {
  const stream = await connection.createStream(options.bidirectional ?? true);
  stream.output.write(bytes);
  switch (options.finish ?? "end") {
    case "end":
      await stream.output.end();
      break;
    case "abort":
      await stream.output.flush();
      stream.output.abort();
      break;
    case "open":
      await stream.output.flush();
      break;
  }
  return stream;
}

/** A request as a raw server reads it: the stream, the decoded path and operation, and a reader for the payload. */
export interface RawIncomingRequest {
  readonly stream: MultiplexedStream;
  readonly path: string;
  readonly operation: string;
  /** Positioned after the header. */
  readonly reader: RawReader;
}

/**
 * A test peer that speaks icerpc by hand on a transport connection: it opens its control stream with chosen bytes,
 * reads the real peer's Settings and GoAway, sends chosen request or response bytes. Hostile-peer tests put one in
 * front of a real `IceRpcProtocolConnection`, `Server` or `ClientConnection`.
 */
export class RawPeer {
  readonly connection: MultiplexedConnection;
  #controlStream: MultiplexedStream | undefined;
  #peerControlReader: RawReader | undefined;

  constructor(connection: MultiplexedConnection) {
    this.connection = connection;
  }

  /** A raw client: a transport connection to `address`, connected. */
  static async connect(
    transport: MultiplexedClientTransport,
    address: TransportAddress,
    options: MultiplexedConnectionOptions = rawPeerConnectionOptions,
  ): Promise<RawPeer> {
    const connection = transport.createConnection(address, options);
    try {
      await connection.connect();
    } catch (error) {
      await connection.dispose();
      throw error;
    }
    return new RawPeer(connection);
  }

  /** A raw server: the next connection `listener` accepts, connected. */
  static async accept(listener: Listener, signal?: AbortSignal): Promise<RawPeer> {
    const { connection } = await listener.accept(signal);
    try {
      await connection.connect(signal);
    } catch (error) {
      await connection.dispose();
      throw error;
    }
    return new RawPeer(connection);
  }

  /** This side's control stream, once opened. */
  get controlStream(): MultiplexedStream {
    if (this.#controlStream === undefined) {
      throw new Error("The raw peer has no control stream yet: call openControlStream first.");
    }
    return this.#controlStream;
  }

  /** Creates this side's control stream and sends `bytes` on it: an empty Settings frame unless told otherwise. */
  async openControlStream(bytes: Uint8Array = settingsFrame()): Promise<MultiplexedStream> {
    this.#controlStream = await this.connection.createStream(false);
    await this.sendOnControlStream(bytes);
    return this.#controlStream;
  }

  /** Sends more bytes on this side's control stream, e.g. a GoAway frame. */
  async sendOnControlStream(bytes: Uint8Array): Promise<void> {
    this.controlStream.output.write(bytes);
    await this.controlStream.output.flush();
  }

  /** Accepts the real peer's control stream and reads its Settings frame; returns the frame body. */
  async acceptControlStream(signal?: AbortSignal): Promise<Uint8Array> {
    const stream = await this.connection.acceptStream(signal);
    if (stream.isBidirectional) {
      throw new Error(`The peer's first stream (${stream.id}) is bidirectional: it should be its control stream.`);
    }
    this.#peerControlReader = new RawReader(stream.input);
    const frame = await this.readControlFrame(signal);
    if (frame?.type !== ControlFrameType.settings) {
      throw new Error(`The peer's control stream did not start with a Settings frame: got ${JSON.stringify(frame)}.`);
    }
    return frame.body;
  }

  /** Opens this side's control stream (with an empty Settings frame) and accepts the peer's. */
  async handshake(): Promise<void> {
    await this.openControlStream();
    await this.acceptControlStream();
  }

  /** The next frame on the real peer's control stream (its GoAway after Settings), or null at its end. */
  async readControlFrame(signal?: AbortSignal): Promise<{ type: number; body: Uint8Array } | null> {
    if (this.#peerControlReader === undefined) {
      throw new Error("The raw peer did not accept the peer's control stream yet: call acceptControlStream first.");
    }
    return this.#peerControlReader.readControlFrame(signal);
  }

  /** Sends a request's bytes (header, payload, anything) on a new stream. */
  sendRequest(bytes: Uint8Array, options: { oneway?: boolean; finish?: StreamFinish } = {}): Promise<MultiplexedStream> {
    return sendRawStream(this.connection, bytes, { bidirectional: options.oneway !== true, finish: options.finish ?? "end" });
  }

  /** Accepts the next request stream of the real peer and reads its header. */
  async acceptRequest(signal?: AbortSignal): Promise<RawIncomingRequest> {
    const stream = await this.connection.acceptStream(signal);
    const reader = new RawReader(stream.input);
    const decoder = new SliceDecoder(await reader.readSizePrefixed(signal));
    return { stream, path: decoder.decodeString(), operation: decoder.decodeString(), reader };
  }

  /** Sends `bytes` as the response on `stream`, then finishes it. */
  async respond(stream: MultiplexedStream, bytes: Uint8Array, finish: StreamFinish = "end"): Promise<void> {
    stream.output.write(bytes);
    if (finish === "end") {
      await stream.output.end();
    } else {
      await stream.output.flush();
      if (finish === "abort") {
        stream.output.abort();
      }
    }
  }

  dispose(): Promise<void> {
    return this.connection.dispose();
  }
}
