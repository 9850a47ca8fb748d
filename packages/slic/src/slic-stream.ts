import type { MultiplexedStream } from "@icerpc-ts/core/transport";
import { presentInput, presentOutput } from "@icerpc-ts/core/transport-helpers";

import { FrameType } from "./frame-type.js";
import { SlicStreamInput } from "./stream-input.js";
import { SlicStreamOutput } from "./stream-output.js";

/** What a stream needs from its connection. */
export interface StreamHost {
  /** This side's InitialStreamWindowSize. */
  readonly windowSize: number;
  readonly peerWindowSize: number;
  readonly peerMaxStreamFrameSize: number;
  /** Sends a data frame of `stream` (see `OutputHost.sendData`). */
  sendData(stream: SlicStream, data: Uint8Array, last: boolean): void;
  /** Sends a frame of `stream` without data: StreamReadsClosed, StreamWritesClosed or StreamWindowUpdate. */
  sendControl(stream: SlicStream, type: FrameType, increment?: number): void;
  /** See `OutputHost.whenWritable`. */
  whenWritable(signal: AbortSignal | undefined): Promise<void> | undefined;
  /**
   * Both directions of `stream` are closed as Slic counts them: a local stream frees its slot in the peer's limit,
   * a remote one leaves this side's count. Called once, before the frame that closes the stream is sent.
   */
  streamClosed(stream: SlicStream): void;
}

/**
 * A Slic stream. Besides the application's view (input, output, writesClosed), it keeps the state Slic counts
 * streams by, as IceRPC C# does, which differs by origin:
 * - a local stream's reads close when StreamLast or StreamWritesClosed arrives or when the application aborts them
 *   (StreamReadsClosed sent); its writes close when the peer's StreamReadsClosed arrives (the peer read everything,
 *   or stopped) or when the application aborts them (StreamWritesClosed sent). So the creator's slot is busy until
 *   the peer is done with the stream, as the contract says.
 * - a remote stream's reads close when the application read the end or aborted (StreamReadsClosed sent; for a
 *   bidirectional stream whose writes are open, it leaves with their StreamLast or StreamWritesClosed) or when the
 *   peer's StreamWritesClosed arrives; its writes close with the StreamLast or StreamWritesClosed sent or the peer's
 *   StreamReadsClosed.
 */
export class SlicStream implements MultiplexedStream {
  readonly id: number;
  readonly isBidirectional: boolean;
  readonly isRemote: boolean;
  readonly writesClosed: Promise<void>;
  readonly #host: StreamHost;
  readonly #input: SlicStreamInput | undefined;
  readonly #output: SlicStreamOutput | undefined;
  #readsClosed: boolean;
  #writesClosed: boolean;
  /** A remote bidirectional stream read to the end while its writes are open: StreamReadsClosed waits for them. */
  #readsClosedPending = false;
  #failed = false;

  constructor(host: StreamHost, id: number, bidirectional: boolean, isRemote: boolean) {
    this.id = id;
    this.isBidirectional = bidirectional;
    this.isRemote = isRemote;
    this.#host = host;
    this.#input =
      bidirectional || isRemote
        ? new SlicStreamInput(
            {
              streamId: id,
              windowSize: host.windowSize,
              sendWindowUpdate: (increment) => host.sendControl(this, FrameType.StreamWindowUpdate, increment),
              endRead: () => this.#endRead(),
              readsAborted: () => this.#readsAborted(),
            })
        : undefined;
    this.#output =
      bidirectional || !isRemote
        ? new SlicStreamOutput(
            {
              streamId: id,
              peerWindowSize: host.peerWindowSize,
              peerMaxStreamFrameSize: host.peerMaxStreamFrameSize,
              sendData: (data, last) => this.#sendData(data, last),
              sendWritesClosed: () => this.#writesAborted(),
              whenWritable: (signal) => host.whenWritable(signal),
            })
        : undefined;
    this.#readsClosed = this.#input === undefined;
    this.#writesClosed = this.#output === undefined;
    this.writesClosed = this.#output?.writesClosed ?? Promise.resolve();
  }

  get input(): SlicStreamInput {
    return presentInput(this.#input, this.id);
  }

  get output(): SlicStreamOutput {
    return presentOutput(this.#output, this.id);
  }

  /** Both directions are closed as Slic counts them. */
  get isClosed(): boolean {
    return this.#readsClosed && this.#writesClosed;
  }

  // --- Frames received -----------------------------------------------------------------------------------------

  /** A Stream or StreamLast frame of `dataLength` bytes starts (checked against the window). */
  receiveDataHeader(dataLength: number): void {
    this.#input!.receiveDataHeader(dataLength);
  }

  receiveData(bytes: Uint8Array): void {
    this.#input!.receiveData(bytes);
  }

  receiveEnd(): void {
    this.#input!.receiveEnd();
    if (!this.isRemote) {
      this.#closeReads();
    }
  }

  receiveWritesClosed(): void {
    this.#input?.receiveReset();
    this.#closeReads();
  }

  receiveReadsClosed(): void {
    this.#output?.peerStoppedReading();
    this.#closeWrites();
  }

  receiveWindowUpdate(increment: number): void {
    this.#output?.receiveWindowUpdate(increment);
  }

  /** The connection failed: everything pending fails with `currentError()`; nothing is counted anymore. */
  fail(currentError: () => Error): void {
    this.#failed = true;
    this.#input?.fail(currentError);
    this.#output?.fail(currentError);
  }

  // --- The application's actions -------------------------------------------------------------------------------

  #sendData(data: Uint8Array, last: boolean): void {
    if (last && this.isRemote) {
      this.#closeWrites(); // before the frame leaves: the peer may open a new stream as soon as it arrives
    }
    this.#host.sendData(this, data, last);
    if (last) {
      this.#flushPendingReadsClosed();
    }
  }

  #writesAborted(): void {
    if (!this.#writesClosed) {
      this.#closing(() => this.#closeWrites(), FrameType.StreamWritesClosed);
      this.#flushPendingReadsClosed();
    }
  }

  #endRead(): void {
    if (!this.isRemote || this.#readsClosed) {
      return;
    }
    this.#closeReads();
    if (this.isBidirectional && !this.#writesClosed && !this.#output!.isClosedLocally) {
      this.#readsClosedPending = true; // leaves with the end of the writes, in the same channel write
    } else {
      this.#host.sendControl(this, FrameType.StreamReadsClosed);
    }
  }

  #readsAborted(): void {
    if (!this.#readsClosed) {
      this.#closing(() => this.#closeReads(), FrameType.StreamReadsClosed);
    }
  }

  /**
   * Closes a direction with the frame that tells the peer. A remote stream leaves this side's count before the
   * frame is sent, since the peer may open another stream as soon as it arrives; a local stream frees its slot once
   * the frame is queued, so that it precedes the frames of the stream that takes the slot (and a stream that never
   * reached the peer can give its id back instead of sending it, see `LocalStreams`).
   */
  #closing(close: () => void, type: FrameType): void {
    if (this.isRemote) {
      close();
      this.#host.sendControl(this, type);
    } else {
      this.#host.sendControl(this, type);
      close();
    }
  }

  #flushPendingReadsClosed(): void {
    if (this.#readsClosedPending) {
      this.#readsClosedPending = false;
      this.#host.sendControl(this, FrameType.StreamReadsClosed);
    }
  }

  #closeReads(): void {
    if (!this.#readsClosed) {
      this.#readsClosed = true;
      this.#checkClosed();
    }
  }

  #closeWrites(): void {
    if (!this.#writesClosed) {
      this.#writesClosed = true;
      this.#checkClosed();
    }
  }

  #checkClosed(): void {
    if (this.#readsClosed && this.#writesClosed && !this.#failed) {
      this.#host.streamClosed(this);
    }
  }
}
