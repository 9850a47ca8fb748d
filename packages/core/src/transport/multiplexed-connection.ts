import type { MultiplexedConnectionCloseError } from "./close-code.js";
import type { MultiplexedStream } from "./multiplexed-stream.js";
import type { NetworkAddress } from "./transport-address.js";

/**
 * A connection that carries many independent streams, modelled on a QUIC connection and on IceRPC's
 * `IMultiplexedConnection`.
 *
 * How the core uses it, which every transport may rely on: `connect` is called first and once; `acceptStream`
 * never runs concurrently with itself but may with `createStream`, which may run concurrently with itself; `close`
 * is called at most once, never during `acceptStream`, possibly during `createStream`; neither `createStream` nor
 * `acceptStream` is called after `close`; `dispose` may run at any time and more than once.
 */
export interface MultiplexedConnection extends AsyncDisposable {
  /**
   * Establishes the connection (for a server-side connection, completes the handshake the client started).
   * Rejects with an `IceRpcException` for transport failures, `signal.reason` on abort, and `ObjectDisposedError` if
   * disposed meanwhile.
   */
  connect(signal?: AbortSignal): Promise<TransportConnectionInformation>;

  /**
   * Creates a local stream. Waits while the peer's limit for that stream type is reached, until a slot frees up,
   * `signal` aborts (rejects with `signal.reason`), the connection is closed locally (`IceRpcException
   * (OperationAborted)`), closed by the peer (its close code mapped by `closeCodeToError`) or lost
   * (`ConnectionAborted`), or disposed (`ObjectDisposedError`). Rejects with `InvalidOperationError` before
   * `connect`.
   */
  createStream(bidirectional: boolean, signal?: AbortSignal): Promise<MultiplexedStream>;

  /**
   * Resolves with the next stream the peer created; streams of one type arrive in increasing id order. Rejects like
   * `createStream`.
   */
  acceptStream(signal?: AbortSignal): Promise<MultiplexedStream>;

  /**
   * Closes the connection gracefully with an application code the peer maps to an error (`closeCodeToError`).
   * Resolves once the peer acknowledged or the connection is gone. Pending and later stream operations fail with
   * `IceRpcException(ConnectionAborted)` locally; blocked `createStream` calls fail with `OperationAborted`.
   */
  close(code: MultiplexedConnectionCloseError, signal?: AbortSignal): Promise<void>;

  /**
   * Aborts the connection without a close handshake and releases its resources; the peer sees `ConnectionAborted`.
   * Pending and later `connect`, `createStream` and `acceptStream` reject with `ObjectDisposedError`; pending and
   * later stream reads, flushes and ends reject with `IceRpcException(OperationAborted)` (C# reports
   * `ConnectionAborted` for those started after the dispose; one code for both is simpler to handle); every
   * stream's `writesClosed` resolves. Idempotent.
   */
  dispose(): Promise<void>;
}

/** What a connection reports once connected. */
export interface TransportConnectionInformation {
  readonly localNetworkAddress: NetworkAddress;
  readonly remoteNetworkAddress: NetworkAddress;
  /** Present when the connection is secured by TLS. */
  readonly tls?: TlsConnectionInformation;
  /**
   * The stream limits the peer advertised, when the transport learns them while connecting. The core fails at once
   * an invocation the peer can never accept (a peer without dispatcher advertises no bidirectional stream and one
   * unidirectional stream, for its control stream) instead of waiting for a slot that never frees up. Absent, the
   * core waits in `createStream` as the contract says.
   */
  readonly peerStreamLimits?: StreamLimits;
}

/** The TLS details of a secured connection. */
export interface TlsConnectionInformation {
  /** The negotiated protocol version, e.g. `TLSv1.3`. */
  readonly protocol: string;
  /** The negotiated cipher suite, e.g. `TLS_AES_256_GCM_SHA384`. */
  readonly cipher: string;
  /** The peer's certificate in DER form, when it presented one. */
  readonly peerCertificate?: Uint8Array;
  /** The application protocol both sides agreed on (ALPN), e.g. `icerpc`, when they negotiated one. */
  readonly applicationProtocol?: string;
}

/** The stream limits one side of a connection accepts and advertises to its peer. */
export interface StreamLimits {
  /** How many bidirectional streams the peer may have open at once. 0 forbids them. */
  readonly maxBidirectionalStreams: number;
  /** How many unidirectional streams the peer may have open at once. 0 forbids them. */
  readonly maxUnidirectionalStreams: number;
}

/**
 * Options a connection gets from the core when it is created. The stream limits are what this side *accepts* and
 * advertises to the peer: the peer's `createStream` waits while that many of its streams of the type are open.
 */
export interface MultiplexedConnectionOptions extends StreamLimits {
  /** Milliseconds allowed for the transport handshake in `connect` before it fails. */
  readonly handshakeTimeout: number;
}

/** IceRPC's defaults for {@link MultiplexedConnectionOptions}. */
export const defaultMultiplexedConnectionOptions: MultiplexedConnectionOptions = Object.freeze({
  maxBidirectionalStreams: 100,
  maxUnidirectionalStreams: 100,
  handshakeTimeout: 10_000,
});
