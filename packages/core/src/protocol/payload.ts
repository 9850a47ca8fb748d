import { concatBytes } from "@icerpc-ts/primitives";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError } from "../errors/usage-errors.js";
import type { StreamInput } from "../transport/multiplexed-stream.js";

/**
 * An outgoing payload: bytes already in memory, or chunks produced on demand (streamed with backpressure). An
 * iterable is always finished: read to its end, or closed early with `return()` when the send stops.
 */
export type OutgoingPayload = Uint8Array | AsyncIterable<Uint8Array>;

const empty = new Uint8Array(0);

/**
 * An incoming payload: the bytes of a stream after the icerpc header, read with backpressure. Whoever receives it
 * must read it to the end or `abort()` it: until then the stream stays open (and keeps the connection active).
 */
export class IncomingPayload implements AsyncIterable<Uint8Array> {
  #input: StreamInput | undefined;
  #prefix: Uint8Array | undefined;
  #onDone: (() => void) | undefined;
  #reading = false;

  /**
   * @param input the stream input positioned after the header, or undefined for an empty payload.
   * @param prefix bytes already read from `input` past the header.
   * @param onDone called once, when the payload was read to its end, failed or was aborted.
   */
  constructor(input?: StreamInput, prefix?: Uint8Array, onDone?: () => void) {
    this.#input = input;
    this.#prefix = prefix !== undefined && prefix.length > 0 ? prefix : undefined;
    this.#onDone = onDone;
    if (input === undefined) {
      this.#done();
    }
  }

  /** True once the payload was read to its end, failed, or was aborted. */
  get isDone(): boolean {
    return this.#onDone === undefined && this.#input === undefined;
  }

  /**
   * The next bytes, or `null` at the end. Rejects with `IceRpcException(TruncatedData)` if the sender aborted, with
   * the connection's error if it failed, and with `signal.reason` (transiently) when `signal` aborts.
   */
  read(signal?: AbortSignal): Promise<Uint8Array | null> {
    if (this.#reading) {
      return Promise.reject(new InvalidOperationError("Another read of this payload is in progress; reads must not overlap."));
    }
    const ready = this.#tryRead(signal);
    if (ready !== undefined) {
      return Promise.resolve(ready);
    }
    // #tryRead returns null without an input: here there is one.
    return this.#readInput(this.#input!, signal);
  }

  /**
   * What `read` would resolve with at once: the prefix, the bytes or the end the input holds already (see
   * `StreamInput.tryRead`); undefined when `read` must wait or reject, or another read is in progress.
   */
  #tryRead(signal: AbortSignal | undefined): Uint8Array | null | undefined {
    if (this.#reading) {
      return undefined;
    }
    const prefix = this.#prefix;
    if (prefix !== undefined) {
      this.#prefix = undefined;
      return prefix;
    }
    const input = this.#input;
    if (input === undefined) {
      return null;
    }
    if (signal?.aborted) {
      return undefined; // the input's read rejects with signal.reason, even with data waiting
    }
    const chunk = input.tryRead();
    if (chunk === null) {
      this.#input = undefined;
      this.#done();
    }
    return chunk;
  }

  async #readInput(input: StreamInput, signal: AbortSignal | undefined): Promise<Uint8Array | null> {
    this.#reading = true;
    try {
      const chunk = await input.read(signal);
      if (chunk === null) {
        this.#input = undefined;
        this.#done();
      }
      return chunk;
    } catch (error) {
      if (!signal?.aborted) {
        this.#input = undefined;
        this.#done();
      }
      throw error;
    } finally {
      this.#reading = false;
    }
  }

  /**
   * Reads the whole payload into one array. Rejects with `IceRpcException(LimitExceeded)`, after aborting the
   * payload, when it is larger than `maxBytes`.
   */
  async readAll(options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const signal = options.signal;
    // Awaiting only when a read must wait: a small payload is usually whole, with its end, when the header is read.
    let first = this.#tryRead(signal);
    if (first === undefined) {
      first = await this.read(signal);
    }
    if (first === null) {
      return empty;
    }
    this.#checkSize(first.length, maxBytes);
    let chunk = this.#tryRead(signal);
    if (chunk === undefined) {
      chunk = await this.read(signal);
    }
    if (chunk === null) {
      return first; // one chunk, as most payloads come: no array, no copy
    }
    const chunks = [first];
    let length = first.length;
    while (chunk !== null) {
      length += chunk.length;
      this.#checkSize(length, maxBytes);
      chunks.push(chunk);
      chunk = this.#tryRead(signal);
      if (chunk === undefined) {
        chunk = await this.read(signal);
      }
    }
    return concatBytes(chunks);
  }

  /** Aborts the payload and throws `IceRpcException(LimitExceeded)` once `length` bytes exceed `maxBytes`. */
  #checkSize(length: number, maxBytes: number): void {
    if (length > maxBytes) {
      this.abort();
      throw new IceRpcException(IceRpcError.LimitExceeded, `The payload is larger than the ${maxBytes} bytes allowed.`);
    }
  }

  /** Stops reading: remaining bytes are discarded and the sender's writes close. Does nothing once done. */
  abort(): void {
    this.#prefix = undefined;
    const input = this.#input;
    if (input !== undefined) {
      this.#input = undefined;
      input.abort();
      this.#done();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    try {
      for (let chunk = await this.read(); chunk !== null; chunk = await this.read()) {
        yield chunk;
      }
    } finally {
      this.abort();
    }
  }

  #done(): void {
    const onDone = this.#onDone;
    this.#onDone = undefined;
    onDone?.();
  }
}
