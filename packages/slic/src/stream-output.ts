import { CreditStreamOutput } from "@icerpc-ts/core/transport-helpers";

import { maxWindowSize } from "./frame-type.js";
import { slicProtocolError } from "./slic-protocol-error.js";

/** What an output needs from its stream. */
export interface OutputHost {
  readonly streamId: number;
  /** The peer's InitialStreamWindowSize: the credit a stream starts with. */
  readonly peerWindowSize: number;
  /** The peer's MaxStreamFrameSize: the most data one frame may carry. */
  readonly peerMaxStreamFrameSize: number;
  /**
   * Sends a Stream frame with `data`, or a StreamLast frame (`last`) with `data` (possibly empty). The connection
   * owns `data` from then on.
   */
  sendData(data: Uint8Array, last: boolean): void;
  /** The application aborted its output (StreamWritesClosed). */
  sendWritesClosed(): void;
  /**
   * Undefined when the connection takes more frames now; else a promise that settles once it does (the byte
   * channel pushes back), rejecting with `signal.reason` if `signal` aborts first.
   */
  whenWritable(signal: AbortSignal | undefined): Promise<void> | undefined;
}

/**
 * The sending half of a Slic stream: Stream frames of at most the peer's MaxStreamFrameSize and of its remaining
 * credit, waiting while the credit is spent (until the peer's StreamWindowUpdate) and while the byte channel pushes
 * back.
 */
export class SlicStreamOutput extends CreditStreamOutput {
  readonly #host: OutputHost;

  constructor(host: OutputHost) {
    super(host.peerWindowSize, () => {});
    this.#host = host;
  }

  /** StreamWindowUpdate: the peer's reader read `increment` more bytes. */
  receiveWindowUpdate(increment: number): void {
    if (this.credit + increment > maxWindowSize) {
      throw slicProtocolError(
        `a StreamWindowUpdate of ${increment} on stream ${this.#host.streamId} grows its window past ${maxWindowSize}.`,
      );
    }
    this.addCredit(increment);
  }

  protected override get maxChunkSize(): number {
    return this.#host.peerMaxStreamFrameSize;
  }

  protected override sendChunk(chunk: Uint8Array | undefined, end: boolean): void {
    this.#host.sendData(chunk ?? new Uint8Array(0), end);
  }

  protected override sendAbort(): void {
    this.#host.sendWritesClosed();
  }

  protected override whenWritable(signal: AbortSignal | undefined): Promise<void> | undefined {
    return this.#host.whenWritable(signal);
  }
}
