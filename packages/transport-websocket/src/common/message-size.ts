/**
 * The largest binary message a sender sends: the byte stream is cut into messages of at most this size, so that any
 * receiver whose maximum message size is at least this accepts them. Part of the wire format.
 */
export const maxSentMessageSize = 65_536;

/** The default maximum size of a received message; a larger message ends the connection. */
export const defaultMaxMessageSize = 1_048_576;

/** Checks a maximum message size option: at least {@link maxSentMessageSize}. Throws `RangeError`. */
export function checkMaxMessageSize(value: number | undefined): number {
  const size = value ?? defaultMaxMessageSize;
  if (!Number.isInteger(size) || size < maxSentMessageSize) {
    throw new RangeError(
      `Invalid maxMessageSize ${size}: it must be an integer of at least ${maxSentMessageSize} (the largest message a peer sends).`,
    );
  }
  return size;
}

/** The messages that carry `chunks`, in order: their bytes joined, then cut at {@link maxSentMessageSize}. */
export function* messagesOf(chunks: readonly Uint8Array[]): Generator<Uint8Array> {
  let message = new Uint8Array(0);
  let filled = 0;
  for (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      if (filled === 0 && chunk.length - offset >= maxSentMessageSize) {
        // A whole message from one chunk: a view, no copy.
        yield chunk.subarray(offset, offset + maxSentMessageSize);
        offset += maxSentMessageSize;
        continue;
      }
      if (message.length === 0) {
        message = new Uint8Array(maxSentMessageSize);
      }
      const taken = Math.min(chunk.length - offset, maxSentMessageSize - filled);
      message.set(chunk.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      if (filled === maxSentMessageSize) {
        yield message;
        message = new Uint8Array(0);
        filled = 0;
      }
    }
  }
  if (filled > 0) {
    yield message.subarray(0, filled);
  }
}
