import type { StreamInput } from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";

/**
 * Reads what a real icerpc peer sends on a stream, byte by byte as a hostile peer would: size-prefixed headers and
 * control frames, then whatever follows. Throws a plain `Error` saying what was expected when the stream ends early:
 * in a test, that is the peer misbehaving.
 */
export class RawReader {
  readonly #input: StreamInput;
  #buffer: Uint8Array = new Uint8Array(0);

  constructor(input: StreamInput) {
    this.#input = input;
  }

  /** The next byte, or null at the end of the stream. */
  async readByte(signal?: AbortSignal): Promise<number | null> {
    if (!(await this.#fill(1, signal))) {
      return null;
    }
    const byte = this.#buffer[0]!;
    this.#buffer = this.#buffer.subarray(1);
    return byte;
  }

  /** Exactly `length` bytes. */
  async readExactly(length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (!(await this.#fill(length, signal))) {
      throw new Error(`The stream ended before the ${length} bytes expected.`);
    }
    const bytes = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    return bytes;
  }

  /** A varuint62 size then that many bytes. */
  async readSizePrefixed(signal?: AbortSignal): Promise<Uint8Array> {
    const first = await this.readByte(signal);
    if (first === null) {
      throw new Error("The stream ended before a size-prefixed block.");
    }
    const width = 1 << (first & 3);
    let size = first >>> 2;
    let multiplier = 64;
    for (const byte of width > 1 ? await this.readExactly(width - 1, signal) : []) {
      size += byte * multiplier;
      multiplier *= 256;
    }
    return this.readExactly(size, signal);
  }

  /** A control frame, or null at the end of the stream. */
  async readControlFrame(signal?: AbortSignal): Promise<{ type: number; body: Uint8Array } | null> {
    const type = await this.readByte(signal);
    return type === null ? null : { type, body: await this.readSizePrefixed(signal) };
  }

  /** Everything left until the end of the stream. */
  async readToEnd(signal?: AbortSignal): Promise<Uint8Array> {
    const chunks = [this.#buffer];
    this.#buffer = new Uint8Array(0);
    for (let chunk = await this.#input.read(signal); chunk !== null; chunk = await this.#input.read(signal)) {
      chunks.push(chunk);
    }
    return concatBytes(chunks);
  }

  async #fill(length: number, signal: AbortSignal | undefined): Promise<boolean> {
    while (this.#buffer.length < length) {
      const chunk = await this.#input.read(signal);
      if (chunk === null) {
        return false;
      }
      this.#buffer = concatBytes([this.#buffer, chunk]);
    }
    return true;
  }
}
