/**
 * A FIFO of byte chunks that knows its total length, for transports: a stream's received bytes (handed out whole)
 * and an output's unflushed bytes (references to the caller's arrays, copied out in pieces when sent, since the
 * caller may reuse its arrays once its flush settles). Shifting is O(1): consumed slots are dropped in
 * bulk rather than one `Array.shift` at a time.
 */
export class ChunkQueue {
  #chunks: Uint8Array[] = [];
  #head = 0;
  /** How many bytes of the head chunk were already taken by `take`. */
  #headOffset = 0;
  #byteLength = 0;

  get byteLength(): number {
    return this.#byteLength;
  }

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#byteLength += chunk.length;
  }

  /** Removes and returns the rest of the oldest chunk, without copying; undefined when empty. */
  shift(): Uint8Array | undefined {
    const chunk = this.#chunks[this.#head];
    if (chunk === undefined) {
      return undefined;
    }
    const rest = this.#headOffset === 0 ? chunk : chunk.subarray(this.#headOffset);
    this.#advanceHead();
    this.#byteLength -= rest.length;
    return rest;
  }

  /** Removes the first `count` bytes (at most `byteLength`) and returns a copy of them, which the caller owns. */
  take(count: number): Uint8Array {
    const result = new Uint8Array(Math.min(count, this.#byteLength));
    let filled = 0;
    while (filled < result.length) {
      const chunk = this.#chunks[this.#head]!;
      const wanted = result.length - filled;
      if (this.#headOffset === 0 && chunk.length <= wanted) {
        // The whole chunk, without a subarray: a view of a small array costs V8 more than the copy itself.
        result.set(chunk, filled);
        filled += chunk.length;
        this.#advanceHead();
        continue;
      }
      const piece = chunk.subarray(this.#headOffset, this.#headOffset + wanted);
      result.set(piece, filled);
      filled += piece.length;
      if (this.#headOffset + piece.length === chunk.length) {
        this.#advanceHead();
      } else {
        this.#headOffset += piece.length;
      }
    }
    this.#byteLength -= result.length;
    return result;
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#headOffset = 0;
    this.#byteLength = 0;
  }

  #advanceHead(): void {
    this.#headOffset = 0;
    this.#head++;
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    } else if (this.#head >= 1024) {
      this.#chunks.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
