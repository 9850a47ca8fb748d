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

/**
 * The messages that carry `chunks`, in order: their bytes joined, then cut at {@link maxSentMessageSize}. A message
 * is a view of a chunk where one chunk fills it, else a copy into an array of the message's own size (a small write
 * must not cost a 64 KiB allocation).
 */
export function* messagesOf(chunks: readonly Uint8Array[]): Generator<Uint8Array> {
  /** The bytes not in a message yet. */
  let remaining = 0;
  for (const chunk of chunks) {
    remaining += chunk.length;
  }
  let message: Uint8Array | undefined;
  let filled = 0;
  for (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      const left = chunk.length - offset;
      if (message === undefined && (left >= maxSentMessageSize || left === remaining)) {
        const size = Math.min(left, maxSentMessageSize);
        yield chunk.subarray(offset, offset + size);
        offset += size;
        remaining -= size;
        continue;
      }
      message ??= new Uint8Array(Math.min(remaining, maxSentMessageSize));
      const taken = Math.min(left, message.length - filled);
      message.set(chunk.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      remaining -= taken;
      if (filled === message.length) {
        yield message;
        message = undefined;
        filled = 0;
      }
    }
  }
}
