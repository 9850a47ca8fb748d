import { byteRange } from "@icerpc-ts/primitives";
import { InvalidDataError } from "../errors/usage-errors.js";
import type { StreamInput } from "../transport/multiplexed-stream.js";

/** What the reader needs of a stream input: a stream of another multiplexer (a yamux stream) has it too. */
export type ReadableStreamInput = Pick<StreamInput, "read" | "tryRead">;

const noBytes = new Uint8Array(0);

/**
 * Reads length-prefixed frames and headers (icerpc's, or a transport's control messages of the same shape) from a
 * stream input, which delivers bytes in chunks of any size.
 * Bytes read past what the caller asked for are kept, so that a payload following a header is not lost.
 */
export class BufferedStreamReader {
  readonly #input: ReadableStreamInput;
  #chunk: Uint8Array = noBytes;
  #offset = 0;

  constructor(input: ReadableStreamInput) {
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
   * Exactly `length` bytes (see `byteRange`: a copy or a view of the received chunk).
   * Throws `InvalidDataError` naming `what` when the stream ends first.
   */
  readExactly(length: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    return this.#chunk.length - this.#offset >= length
      ? Promise.resolve(this.#take(length))
      : this.#readAcrossChunks(length, what, signal);
  }

  /**
   * A varuint62 size prefix followed by that many bytes, for a block of at most `maxSize` bytes. The prefix may use
   * any of its 1, 2, 4 or 8 byte forms. Throws `InvalidDataError` for an empty or oversized block, or a truncated one.
   */
  async readSizePrefixed(maxSize: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    while (this.#offset === this.#chunk.length) {
      // Not through #fill: one async frame less on the path of every request and response; and no wait at all for
      // bytes already received (an aborted signal must still reject, through read).
      let chunk = signal?.aborted === true ? undefined : this.#input.tryRead();
      if (chunk === undefined) {
        chunk = await this.#input.read(signal);
      }
      if (chunk === null) {
        throw new InvalidDataError(`The stream ended before the ${what}.`);
      }
      this.#chunk = chunk;
      this.#offset = 0;
    }
    const chunk = this.#chunk;
    const prefixLength = 1 << (chunk[this.#offset]! & 3);
    let size: number;
    if (this.#offset + prefixLength <= chunk.length) {
      // The whole prefix is in this chunk, as it nearly always is: no further read.
      size = decodeSizePrefix(chunk, this.#offset, prefixLength);
      this.#offset += prefixLength;
    } else {
      const prefix = new Uint8Array(prefixLength);
      prefix[0] = chunk[this.#offset++]!;
      prefix.set(await this.readExactly(prefixLength - 1, `size of the ${what}`, signal), 1);
      size = decodeSizePrefix(prefix, 0, prefixLength);
    }
    checkBlockSize(size, maxSize, what);
    return this.#chunk.length - this.#offset >= size ? this.#take(size) : this.#readAcrossChunks(size, what, signal);
  }

  /**
   * What `readSizePrefixed` would return at once, without a promise: the block when its prefix and all its bytes were
   * received already (in the current chunk, or the one `StreamInput.tryRead` gives), as a request header usually is.
   * Undefined otherwise, having consumed nothing: call `readSizePrefixed` then. Throws `InvalidDataError` for an
   * empty or oversized block.
   */
  tryReadSizePrefixed(maxSize: number, what: string): Uint8Array | undefined {
    if (this.#offset === this.#chunk.length) {
      const next = this.#input.tryRead();
      if (next === undefined || next === null) {
        return undefined; // the end too is for readSizePrefixed to report (later reads return it again)
      }
      this.#chunk = next;
      this.#offset = 0;
    }
    const chunk = this.#chunk;
    const offset = this.#offset;
    if (offset === chunk.length) {
      return undefined; // an empty chunk
    }
    const prefixLength = 1 << (chunk[offset]! & 3);
    if (offset + prefixLength > chunk.length) {
      return undefined;
    }
    const size = decodeSizePrefix(chunk, offset, prefixLength);
    checkBlockSize(size, maxSize, what);
    if (offset + prefixLength + size > chunk.length) {
      return undefined;
    }
    this.#offset = offset + prefixLength;
    return this.#take(size);
  }

  /** Bytes received but not yet read, handed over to whoever reads the rest of the stream. */
  takeRemaining(): Uint8Array | undefined {
    const remaining = this.#offset < this.#chunk.length ? byteRange(this.#chunk, this.#offset) : undefined;
    this.#chunk = noBytes;
    this.#offset = 0;
    return remaining;
  }

  /** The next `length` bytes, all in the current chunk. */
  #take(length: number): Uint8Array {
    const bytes = byteRange(this.#chunk, this.#offset, this.#offset + length);
    this.#offset += length;
    return bytes;
  }

  async #readAcrossChunks(length: number, what: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
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

/** Throws `InvalidDataError` naming `what` for an empty block, or one larger than `maxSize` bytes. */
function checkBlockSize(size: number, maxSize: number, what: string): void {
  if (size === 0) {
    throw new InvalidDataError(`The ${what} is empty.`);
  }
  if (size > maxSize) {
    throw new InvalidDataError(`The ${what} is ${size} bytes long, more than the ${maxSize} bytes allowed.`);
  }
}

/** The value of the varuint62 of `length` bytes at `offset` (its 2 low bits give the length). */
function decodeSizePrefix(bytes: Uint8Array, offset: number, length: number): number {
  let size = bytes[offset]! >>> 2;
  let multiplier = 64;
  for (let i = 1; i < length; ++i) {
    size += bytes[offset + i]! * multiplier;
    multiplier *= 256;
  }
  return size;
}
