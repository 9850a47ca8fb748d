import type { VarIntWidth } from "../../codec/index.js";
import { IceRpcError, IceRpcException } from "../../errors/ice-rpc-error.js";
import { InvalidDataError } from "../../errors/usage-errors.js";
import {
  ControlFrameType,
  decodeGoAwayBody,
  decodeSettingsBody,
  encodeGoAwayFrame,
  encodeSettingsFrame,
  maxGoAwayBodySize,
  maxSettingsBodySize,
  type GoAway,
} from "../../protocol/control-frames.js";
import { sizeLengthFor } from "../../protocol/header-size.js";
import type { MultiplexedConnection } from "../../transport/multiplexed-connection.js";
import type { MultiplexedStream } from "../../transport/multiplexed-stream.js";
import { BufferedStreamReader } from "../../transport-helpers/buffered-stream-reader.js";

/** The icerpc default for MaxHeaderSize; a peer that does not send the setting uses it. */
const defaultMaxHeaderSize = 16_383;

/** What the headers this side sends must fit: the peer's MaxHeaderSize, and the width of their size prefix. */
export interface PeerHeaderLimit {
  readonly maxHeaderSize: number;
  readonly sizeLength: VarIntWidth;
}

/**
 * The two control streams of an icerpc connection (reference §1.3 and §1.4), one unidirectional stream each way for the life
 * of the connection: each side sends its Settings on its own, later its GoAway, then ends it.
 */
export class ControlStreams {
  readonly #transport: MultiplexedConnection;
  #localStream: MultiplexedStream | undefined;
  #remoteStream: MultiplexedStream | undefined;
  #remoteReader: BufferedStreamReader | undefined;
  #sizeLength: VarIntWidth = 2;

  constructor(transport: MultiplexedConnection) {
    this.#transport = transport;
  }

  /** The id of the peer's control stream, once {@link exchangeSettings} accepted it. */
  get remoteStreamId(): number {
    return this.#remoteStream!.id;
  }

  /**
   * Opens our control stream and sends our Settings (our `maxHeaderSize`), then accepts the peer's and reads its
   * Settings. Throws `ConnectionAborted` when the peer's first stream or its Settings frame is not what icerpc expects.
   */
  async exchangeSettings(maxHeaderSize: number, signal: AbortSignal): Promise<PeerHeaderLimit> {
    // Our control stream goes first so that it gets the first unidirectional id (2 client, 3 server).
    const localStream = await this.#transport.createStream(false, signal);
    this.#localStream = localStream;
    localStream.output.write(encodeSettingsFrame({ maxHeaderSize }));
    await localStream.output.flush(signal);

    const remoteStream = await this.#transport.acceptStream(signal);
    if (remoteStream.isBidirectional) {
      throw new IceRpcException(IceRpcError.ConnectionAborted, "The peer's first stream is not its unidirectional control stream.");
    }
    this.#remoteStream = remoteStream;
    this.#remoteReader = new BufferedStreamReader(remoteStream.input);
    let peerMaxHeaderSize: number;
    try {
      const settings = await this.#readFrame(ControlFrameType.Settings, maxSettingsBodySize, signal, decodeSettingsBody);
      peerMaxHeaderSize = settings.maxHeaderSize ?? defaultMaxHeaderSize;
    } catch (error) {
      throw error instanceof InvalidDataError
        ? new IceRpcException(IceRpcError.ConnectionAborted, `The peer sent an invalid Settings frame: ${error.message}`, { cause: error })
        : error;
    }
    this.#sizeLength = sizeLengthFor(peerMaxHeaderSize);
    return { maxHeaderSize: peerMaxHeaderSize, sizeLength: this.#sizeLength };
  }

  /** Reads the peer's GoAway. Throws `IceRpcError` when the peer sent something else or an invalid GoAway. */
  async readGoAway(signal: AbortSignal): Promise<GoAway> {
    try {
      return await this.#readFrame(ControlFrameType.GoAway, maxGoAwayBodySize, signal, decodeGoAwayBody);
    } catch (error) {
      throw error instanceof InvalidDataError
        ? new IceRpcException(IceRpcError.IceRpcError, `The peer sent an invalid GoAway frame: ${error.message}`, { cause: error })
        : error;
    }
  }

  /** Sends our GoAway: the first stream ids of each type this side did not accept. */
  async sendGoAway(goAway: GoAway, signal: AbortSignal): Promise<void> {
    const output = this.#localStream!.output;
    output.write(encodeGoAwayFrame(goAway, this.#sizeLength));
    await output.flush(signal);
  }

  /** Ends our control stream, then waits for the peer to end its own: after its GoAway, only the end may come. */
  async end(signal: AbortSignal): Promise<void> {
    await this.#localStream!.output.end(signal);
    const trailing = await this.#remoteReader!.readByteOrEnd(signal);
    if (trailing !== null) {
      throw new IceRpcException(IceRpcError.IceRpcError, "The peer sent data on its control stream after its GoAway frame.");
    }
  }

  /** Aborts our control stream, if open: the connection failed to connect or to shut down. */
  abort(): void {
    this.#localStream?.output.abort();
  }

  /** Reads one control frame of type `expected` whose body is at most `maxBodySize` bytes, and decodes it. */
  async #readFrame<T>(expected: ControlFrameType, maxBodySize: number, signal: AbortSignal, decode: (body: Uint8Array) => T): Promise<T> {
    const reader = this.#remoteReader!;
    const frameType = await reader.readByteOrEnd(signal);
    if (frameType === null) {
      throw new InvalidDataError(`The peer's control stream ended before its ${ControlFrameType[expected]} frame.`);
    }
    if (frameType !== expected) {
      throw new InvalidDataError(`Expected a ${ControlFrameType[expected]} frame on the control stream, received frame type ${frameType}.`);
    }
    return decode(await reader.readSizePrefixed(maxBodySize, `${ControlFrameType[expected]} frame body`, signal));
  }
}
