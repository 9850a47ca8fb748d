/**
 * The bytes an output was given by `write` and has not handed to yamux yet: references to the caller's arrays,
 * copied out piece by piece when they are sent (yamux keeps what it is given until the byte channel wrote it, later
 * than the caller may reuse its arrays).
 */
export class UnflushedBytes {
  #chunks: Uint8Array[] = [];
  /** How many bytes of `#chunks[0]` were already taken. */
  #headOffset = 0;
  #byteLength = 0;

  get byteLength(): number {
    return this.#byteLength;
  }

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#byteLength += chunk.length;
  }

  /** Removes the first `count` bytes (at most `byteLength`) and returns a copy of them. */
  take(count: number): Uint8Array {
    const piece = new Uint8Array(Math.min(count, this.#byteLength));
    let filled = 0;
    let consumed = 0;
    while (filled < piece.length) {
      const chunk = this.#chunks[consumed]!;
      const part = chunk.subarray(this.#headOffset, this.#headOffset + piece.length - filled);
      piece.set(part, filled);
      filled += part.length;
      if (this.#headOffset + part.length === chunk.length) {
        consumed++;
        this.#headOffset = 0;
      } else {
        this.#headOffset += part.length;
      }
    }
    if (consumed > 0) {
      this.#chunks.splice(0, consumed);
    }
    this.#byteLength -= piece.length;
    return piece;
  }

  clear(): void {
    this.#chunks = [];
    this.#headOffset = 0;
    this.#byteLength = 0;
  }
}
