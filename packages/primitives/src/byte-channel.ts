/**
 * The reliable, ordered byte pipe a multiplexer (a yamux session, a Slic connection) runs over: a TCP or TLS socket,
 * a WebSocket, an in-memory pair. Adapters implement it; the multiplexer (here called the session) is its only user.
 */
export interface ByteChannel {
  /** Starts delivering received bytes and events to `receiver`. Called once, by the session's constructor. */
  start(receiver: ByteChannelReceiver): void;

  /**
   * Sends `chunks`, in order, as one write (a socket adapter may `writev` them, a WebSocket adapter may join them
   * into one message). The channel takes ownership of the chunks: the session never modifies them afterwards.
   * Returns a promise when the channel is over its buffering limit: the session writes nothing more until it
   * settles (backpressure). A failure is reported through `receiver.error`, not by throwing; a returned promise
   * may then stay pending.
   */
  write(chunks: readonly Uint8Array[]): Promise<void> | void;

  /**
   * Half-closes: the channel sends the end of stream after every byte written so far, and keeps receiving until
   * the peer ends too. Called at most once.
   */
  end(): void;

  /** Releases the channel at once, discarding unsent bytes. Idempotent; nothing is delivered afterwards. */
  close(): void;

  /**
   * Stops delivering received bytes until `resume`: the session pauses its input while the peer does not read its
   * output (for example answers to a flood of pings). A channel that cannot pause may keep delivering.
   */
  pause(): void;

  /** Resumes delivering received bytes after `pause`. */
  resume(): void;
}

/** What a {@link ByteChannel} delivers to the session. */
export interface ByteChannelReceiver {
  /**
   * Received bytes, in order. The session keeps views into `bytes` (not copies) until the application reads them:
   * the channel must not reuse the memory.
   */
  data(bytes: Uint8Array): void;

  /** The peer ended its side (TCP FIN, WebSocket close): no more data will arrive. */
  end(): void;

  /** The channel failed (reset, network error, abnormal WebSocket close); nothing more will arrive. */
  error(reason: unknown): void;
}
