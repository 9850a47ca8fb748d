/**
 * A stream of a multiplexed connection, modelled on QUIC streams and IceRPC's `IMultiplexedStream`.
 *
 * Ids follow QUIC (RFC 9000 §2.1): bit 0 is the initiator (0 client, 1 server), bit 1 the direction
 * (0 bidirectional, 1 unidirectional), and ids of each type are 0, 4, 8... plus those two bits. A local stream gets
 * its id when it is created, in creation order. As in QUIC, the peer learns of a stream with the first thing sent
 * on it (bytes, end of stream, or an abort of either direction), not when it is created; a stream reaching the peer
 * brings along the earlier streams of its type, so that the peer accepts the streams of one type in increasing id
 * order without gaps, even when a later stream writes first.
 *
 * A bidirectional stream has an input and an output. A unidirectional stream has only an output on the side that
 * created it and only an input on the side that accepted it; using the missing half throws `InvalidOperationError`.
 *
 * A stream occupies one of the accepting side's stream slots (see `MultiplexedConnectionOptions`) until the
 * accepting side is done with it, as in QUIC: it read its input to the end or aborted it, and, for a bidirectional
 * stream, it ended or aborted its output. The creator reading (or not) what the acceptor sent does not matter; but
 * data the acceptor received and did not read keeps the slot busy. A direction is done for its reader once it read
 * the end, saw the writer's abort (`TruncatedData`), or aborted it itself; it is done for its writer once it
 * ended it, aborted it, or learnt that the reader stopped reading.
 */
export interface MultiplexedStream {
  readonly id: number;
  readonly isBidirectional: boolean;
  /** True for a stream the peer created (and this side accepted). */
  readonly isRemote: boolean;
  readonly input: StreamInput;
  readonly output: StreamOutput;
  /**
   * Resolves, never rejects, once no more data can be written: the output was ended or aborted, the peer stopped
   * reading, or the connection was closed, disposed or lost. Already resolved for a stream without output.
   */
  readonly writesClosed: Promise<void>;
}

/** The receiving half of a stream: a pull-based reader whose pace sets the sender's pace (flow control). */
export interface StreamInput {
  /**
   * Resolves with the next bytes received, or `null` once the peer ended its output and every byte was read. The
   * bytes belong to the caller. Reading is what returns flow-control credit to the peer, so a reader that stops
   * reading stops the writer once the stream's window is full. Calls must not overlap.
   *
   * Rejects with:
   * - `IceRpcException(TruncatedData)` when the peer aborted its output;
   * - the connection's error once it is closed (the peer's close code mapped by `closeCodeToError`,
   *   `ConnectionAborted` when lost or after a local close, `OperationAborted` when disposed locally);
   * - `signal.reason` when `signal` aborts, even if `signal` was already aborted and data is waiting; this is
   *   transient: no data is lost and the next read returns it.
   * After `abort`, reads reject with `InvalidOperationError`.
   */
  read(signal?: AbortSignal): Promise<Uint8Array | null>;

  /**
   * What `read` would resolve with at once, without a promise: the next bytes received, or `null` at the end (and
   * after it, as `read`). Returns undefined when `read` would wait or reject: nothing received yet, a read in
   * progress, after `abort`, the peer's abort or the connection's failure; call `read` then, which reports them.
   * An input that cannot tell without a promise (a decorator whose reads go through hooks) may always return
   * undefined: `read` is the authority.
   * Taking bytes this way returns their credit as `read` does. Lets a reader consume what is already buffered (a
   * header, then its payload and the end) with no promise per chunk.
   */
  tryRead(): Uint8Array | null | undefined;

  /**
   * Stops reading before the end (QUIC STOP_SENDING): buffered and future data are discarded and the peer's writes
   * close (its flushes report `"writesClosed"`). A pending `read` rejects with `IceRpcException(OperationAborted)`.
   * Does nothing once the end of stream was read.
   */
  abort(): void;
}

/**
 * What a flush or end reports: `"flushed"` when the data was handed to the transport, `"writesClosed"` when the
 * peer stopped reading, in which case the data was discarded and later writes will be too.
 */
export type FlushResult = "flushed" | "writesClosed";

/**
 * The sending half of a stream. `write` buffers; `flush` and `end` send what was buffered and wait, with
 * backpressure, until the transport has taken it within the peer's flow-control window.
 */
export interface StreamOutput {
  /**
   * Appends `data` to the unflushed bytes without sending anything. The transport may keep a reference to `data`
   * until the next `flush` or `end` settles: the caller must not modify it before then. An empty `data` is a no-op.
   * Throws `InvalidOperationError` once the output was ended or aborted.
   */
  write(data: Uint8Array): void;

  /** The number of bytes written but not yet flushed. */
  readonly unflushedBytes: number;

  /**
   * Sends the unflushed bytes. Resolves once the transport took them all, which waits while the peer's window is
   * full. Rejects with the connection's error if it is closed or lost, and with `signal.reason` if `signal` aborts:
   * bytes already sent stay sent, and the rest stays unflushed for the next flush or end. Calls to `flush` and `end`
   * must not overlap.
   */
  flush(signal?: AbortSignal): Promise<FlushResult>;

  /**
   * Sends the unflushed bytes and then the end of stream: the peer reads every byte and then `null`. Settles like
   * `flush`. After `end`, `write` throws and `flush` and `end` reject with `InvalidOperationError`.
   */
  end(signal?: AbortSignal): Promise<FlushResult>;

  /**
   * Aborts the output (QUIC RESET_STREAM): unflushed and unsent bytes are discarded and the peer's reader fails with
   * `IceRpcException(TruncatedData)`. A pending `flush` or `end` rejects with `IceRpcException(OperationAborted)`.
   * Does nothing once the output was ended or aborted, or the peer stopped reading.
   */
  abort(): void;
}
