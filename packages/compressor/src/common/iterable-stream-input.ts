import { InvalidOperationError } from "@icerpc-ts/core";
import type { StreamInput } from "@icerpc-ts/core/transport";
import { waitAbortable } from "@icerpc-ts/primitives";

/**
 * A stream input over an async iterable, so that a decompressed payload is an `IncomingPayload` like any other. A
 * read that its signal aborts leaves the pending chunk for the next read, as a transport's input does.
 */
export class IterableStreamInput implements StreamInput {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #onAbort: () => void;
  #pending: Promise<IteratorResult<Uint8Array>> | undefined;
  #state: "reading" | "ended" | "aborted" = "reading";

  /** `onAbort` is called when the reader stops before the end: it stops what feeds `source`. */
  constructor(source: AsyncIterable<Uint8Array>, onAbort: () => void) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#onAbort = onAbort;
  }

  async read(signal?: AbortSignal): Promise<Uint8Array | null> {
    if (this.#state === "aborted") {
      throw new InvalidOperationError("Cannot read a payload that was aborted.");
    }
    if (this.#state === "ended") {
      return null;
    }
    this.#pending ??= this.#iterator.next();
    const result = await waitAbortable(this.#pending, signal);
    this.#pending = undefined;
    if (result.done === true) {
      this.#state = "ended";
      return null;
    }
    return result.value;
  }

  tryRead(): Uint8Array | null | undefined {
    return this.#state === "ended" ? null : undefined;
  }

  abort(): void {
    if (this.#state === "reading") {
      this.#state = "aborted";
      this.#onAbort();
      this.#iterator.return?.().catch(() => {});
    }
  }
}
