// The streamed payloads of the browser test, on both sides: a byte pattern that a summary checks without keeping it.

/** The size of the payload streamed each way: 10 MB. */
export const streamedPayloadSize = 10_000_000;

const chunkSize = 65_536;

/** What a receiver saw of a streamed payload: its size, and whether every byte was the pattern's. */
export interface PayloadSummary {
  readonly bytes: number;
  readonly intact: boolean;
}

function patternByte(position: number): number {
  return (position * 7 + (position >>> 16)) & 0xff;
}

/** `size` bytes of the pattern, in chunks made as they are read: the sender never holds the whole payload. */
export async function* patternChunks(size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < size; offset += chunkSize) {
    const chunk = new Uint8Array(Math.min(chunkSize, size - offset));
    for (let i = 0; i < chunk.length; i++) {
      chunk[i] = patternByte(offset + i);
    }
    yield chunk;
  }
}

/** Reads `payload` to its end, checking each byte against the pattern. */
export async function summarize(payload: AsyncIterable<Uint8Array>): Promise<PayloadSummary> {
  let bytes = 0;
  let intact = true;
  for await (const chunk of payload) {
    for (let i = 0; i < chunk.length && intact; i++) {
      intact = chunk[i] === patternByte(bytes + i);
    }
    bytes += chunk.length;
  }
  return { bytes, intact };
}
