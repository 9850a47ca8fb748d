import { CreditStreamOutput } from "@icerpc-ts/core/transport-helpers";
import { waitAbortable } from "@icerpc-ts/primitives";

import type { AdapterStream } from "./adapter-stream.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

/**
 * The most bytes copied into one yamux write. A flush hands yamux the next piece once the previous one left, so it
 * holds at most one piece of copies whatever its size.
 */
const pieceSize = 1024 * 1024;

/**
 * The sending half of a stream: the contract's output rules come from `CreditStreamOutput`, the flow control from
 * yamux (the peer's window), so the adapter grants itself unbounded credit and waits instead for the yamux write in
 * flight to leave. Once the output is interrupted (aborted, stopped by the peer, or failed with the connection), the
 * bytes yamux has not sent yet are withdrawn.
 */
export class AdapterStreamOutput extends CreditStreamOutput {
  readonly #stream: AdapterStream;
  /** Settles once the last yamux write left, or failed and its failure was handled. */
  #inFlight: Promise<void> | undefined;
  /** The yamux stream's FIN was requested. */
  #yamuxEnded = false;
  /** The peer stopped reading, or the connection failed: nothing more goes to yamux. */
  #interrupted = false;

  constructor(stream: AdapterStream) {
    super(Infinity, () => stream.halfDone());
    this.#stream = stream;
  }

  /**
   * The peer stopped reading (StopSending, or a yamux RST). Unless `sendFin` is false (the yamux stream is gone),
   * the output ends its yamux stream with FIN, as the peer expects. Ignored once writes are done.
   */
  stop(sendFin: boolean): void {
    if (this.isClosedLocally || this.#interrupted) {
      return;
    }
    this.peerStoppedReading();
    this.#interrupt();
    if (sendFin && !this.#yamuxEnded) {
      this.#yamuxEnded = true;
      void this.#stream.tryOpen()?.end();
    }
  }

  override fail(currentError: () => Error): void {
    if (!this.isClosedLocally && !this.#interrupted) {
      super.fail(currentError);
      this.#interrupt();
    }
  }

  protected override get maxChunkSize(): number {
    return pieceSize;
  }

  protected override sendChunk(chunk: Uint8Array | undefined, end: boolean): void {
    let written: Promise<void>;
    try {
      const yamux = this.#stream.open();
      if (end) {
        this.#yamuxEnded = true;
        written = yamux.end(chunk);
      } else {
        written = yamux.write(chunk!);
      }
    } catch (error) {
      written = Promise.reject(error); // the session cannot open the stream
    }
    this.#inFlight = written.then(
      () => {
        this.#inFlight = undefined;
      },
      (error: unknown) => this.#writeFailed(error),
    );
  }

  protected override sendAbort(): void {
    this.#stream.withdrawWrites();
    this.#stream.outputAborted();
  }

  protected override whenWritable(signal: AbortSignal | undefined): Promise<void> | undefined {
    const inFlight = this.#inFlight;
    return inFlight === undefined || signal === undefined ? inFlight : waitAbortable(inFlight, signal);
  }

  /** A yamux write failed: the peer reset the stream (it stopped reading), or the session ended. */
  async #writeFailed(error: unknown): Promise<void> {
    this.#inFlight = undefined;
    if (this.isClosedLocally && !this.#yamuxEnded) {
      return; // aborted: its writes were withdrawn
    }
    if (isRemoteReset(error)) {
      this.stop(false);
    } else if (!this.#interrupted) {
      await this.#stream.sessionFailed(error);
    }
  }

  /** No more bytes will be sent: withdraws those yamux has not sent yet. */
  #interrupt(): void {
    this.#interrupted = true;
    this.#stream.withdrawWrites();
  }
}
