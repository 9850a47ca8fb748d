import type { OutgoingPayload } from "@icerpc-ts/core";

/**
 * An outgoing payload that a retry can send again: bytes in memory are simply sent again; a streamed payload is
 * kept, chunk by chunk as the attempts pull it, up to `maxSize` bytes (IceRPC's resettable pipe reader). Once more
 * was pulled, it can no longer be replayed, and the attempt under way streams the rest without keeping it.
 */
export class ReplayablePayload {
  readonly #bytes: Uint8Array | undefined;
  readonly #source: AsyncIterator<Uint8Array> | undefined;
  readonly #maxSize: number;
  readonly #kept: Uint8Array[] = [];
  #keptSize = 0;
  #overflowed = false;
  #sourceDone = false;

  constructor(payload: OutgoingPayload, maxSize: number) {
    this.#maxSize = maxSize;
    if (payload instanceof Uint8Array) {
      this.#bytes = payload;
      this.#overflowed = payload.length > maxSize;
    } else {
      this.#source = payload[Symbol.asyncIterator]();
    }
  }

  /** True while another attempt could send the whole payload again. */
  get canReplay(): boolean {
    return !this.#overflowed;
  }

  /** The payload of the next attempt: it replays what was kept, then pulls the rest of the source. */
  next(): OutgoingPayload {
    return this.#bytes ?? this.#replay();
  }

  /** Closes the source if no attempt read it to its end (an outgoing iterable is always finished). */
  async close(): Promise<void> {
    if (this.#source !== undefined && !this.#sourceDone) {
      this.#sourceDone = true;
      await this.#source.return?.();
    }
  }

  // An attempt that stops early closes this generator, not the source: the next attempt continues from it.
  async *#replay(): AsyncGenerator<Uint8Array> {
    for (let index = 0; ; index++) {
      if (index < this.#kept.length) {
        yield this.#kept[index]!;
        continue;
      }
      if (this.#sourceDone) {
        return;
      }
      const result = await this.#source!.next();
      if (result.done === true) {
        this.#sourceDone = true;
        return;
      }
      this.#keep(result.value);
      yield result.value;
    }
  }

  #keep(chunk: Uint8Array): void {
    if (this.#overflowed) {
      return;
    }
    this.#keptSize += chunk.length;
    if (this.#keptSize > this.#maxSize) {
      this.#overflowed = true;
      this.#kept.length = 0;
    } else {
      this.#kept.push(chunk);
    }
  }
}
