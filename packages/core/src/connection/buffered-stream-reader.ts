import { InvalidDataError } from "../errors/usage-errors.js";
import type { StreamInput } from "../transport/multiplexed-stream.js";

/**
 * Reads length-prefixed icerpc frames and headers from a stream input, which delivers bytes in chunks of any size.
 * Bytes read past what the caller asked for are kept, so that a payload following a header is not lost.
 */
export class BufferedStreamReader {
  readonly #input: StreamInput;
  #chunk: Uint8Array = new Uint8Array(0);
  #offset = 0;

  constructor(input: StreamInput) {
    this.#input = input;
  }

  /** The next byte, or `null` at the end of the stream. */
  async readByteOrEnd(signal?: AbortSignal): Promise<number | null> {
    if (this.#offset === this.#chunk.length && !(await this.#fill(signal))) {
      return null;
    }
    return this.#chunk[this.#offset++]!;
  }

  /**
   * Exactly `length` bytes; a view into the received chunk when they are contiguous there (the common case).
   * Throws `InvalidDataError` naming `what` when the stream ends first.
   */
  async readExactly(length: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    const available = this.#chunk.length - this.#offset;
    if (available >= length) {
      const bytes = this.#chunk.subarray(this.#offset, this.#offset + length);
      this.#offset += length;
      return bytes;
    }
    const bytes = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (this.#offset === this.#chunk.length && !(await this.#fill(signal))) {
        throw new InvalidDataError(`The stream ended in the middle of the ${what}: ${filled} of ${length} bytes received.`);
      }
      const take = Math.min(length - filled, this.#chunk.length - this.#offset);
      bytes.set(this.#chunk.subarray(this.#offset, this.#offset + take), filled);
      this.#offset += take;
      filled += take;
    }
    return bytes;
  }

  /**
   * A varuint62 size prefix followed by that many bytes, for a block of at most `maxSize` bytes. The prefix may use
   * any of its 1, 2, 4 or 8 byte forms. Throws `InvalidDataError` for an empty or oversized block, or a truncated one.
   */
  async readSizePrefixed(maxSize: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    const first = await this.readByteOrEnd(signal);
    if (first === null) {
      throw new InvalidDataError(`The stream ended before the ${what}.`);
    }
    const prefixLength = 1 << (first & 3);
    let size = first >>> 2;
    if (prefixLength > 1) {
      const rest = await this.readExactly(prefixLength - 1, `size of the ${what}`, signal);
      let multiplier = 64;
      for (const byte of rest) {
        size += byte * multiplier;
        multiplier *= 256;
      }
    }
    if (size === 0) {
      throw new InvalidDataError(`The ${what} is empty.`);
    }
    if (size > maxSize) {
      throw new InvalidDataError(`The ${what} is ${size} bytes long, more than the ${maxSize} bytes allowed.`);
    }
    return this.readExactly(size, what, signal);
  }

  /** Bytes received but not yet read, handed over to whoever reads the rest of the stream. */
  takeRemaining(): Uint8Array | undefined {
    const remaining = this.#offset < this.#chunk.length ? this.#chunk.subarray(this.#offset) : undefined;
    this.#chunk = new Uint8Array(0);
    this.#offset = 0;
    return remaining;
  }

  async #fill(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      const chunk = await this.#input.read(signal);
      if (chunk === null) {
        return false;
      }
      if (chunk.length > 0) {
        this.#chunk = chunk;
        this.#offset = 0;
        return true;
      }
    }
  }
}
