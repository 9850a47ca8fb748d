import type { MultiplexedStream } from "../../transport/multiplexed-stream.js";

/**
 * Knows when both directions of a stream are done from this side's point of view: the input was read to its end or
 * aborted, the output was ended or aborted. A direction the stream lacks (unidirectional) counts as done. Reporting
 * a direction twice is harmless.
 */
export class StreamTracker {
  #inputOpen: boolean;
  #outputOpen: boolean;
  #onClosed: (() => void) | undefined;

  constructor(stream: MultiplexedStream, onClosed: () => void) {
    this.#inputOpen = stream.isBidirectional || stream.isRemote;
    this.#outputOpen = stream.isBidirectional || !stream.isRemote;
    this.#onClosed = onClosed;
  }

  readonly inputDone = (): void => {
    this.#inputOpen = false;
    this.#checkClosed();
  };

  readonly outputDone = (): void => {
    this.#outputOpen = false;
    this.#checkClosed();
  };

  #checkClosed(): void {
    if (!this.#inputOpen && !this.#outputOpen && this.#onClosed !== undefined) {
      const onClosed = this.#onClosed;
      this.#onClosed = undefined;
      onClosed();
    }
  }
}
