import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";

/**
 * The application error code sent when a multiplexed connection is closed (QUIC CONNECTION_CLOSE application code,
 * Slic Close frame, or the close message of this project's adapters). Values are IceRPC's
 * `MultiplexedConnectionCloseError`.
 */
export enum MultiplexedConnectionCloseError {
  /** Graceful close: the peer sees `ConnectionClosedByPeer`. */
  NoError = 0,
  /** Abortive close: the peer sees `ConnectionAborted`. */
  Aborted = 1,
  /** The server refuses the connection (e.g. it is shutting down): the peer sees `ConnectionRefused`. */
  Refused = 2,
  /** The server reached its maximum number of connections: the peer sees `ServerBusy`. */
  ServerBusy = 3,
}

/** The error a peer reports once the connection was closed with `code` (any code, including unknown ones). */
export function closeCodeToError(code: number): IceRpcException {
  switch (code) {
    case MultiplexedConnectionCloseError.NoError:
      return new IceRpcException(IceRpcError.ConnectionClosedByPeer);
    case MultiplexedConnectionCloseError.Aborted:
      return new IceRpcException(IceRpcError.ConnectionAborted);
    case MultiplexedConnectionCloseError.Refused:
      return new IceRpcException(IceRpcError.ConnectionRefused);
    case MultiplexedConnectionCloseError.ServerBusy:
      return new IceRpcException(IceRpcError.ServerBusy);
    default:
      return new IceRpcException(
        IceRpcError.ConnectionAborted,
        `The connection was closed by the peer with an unknown application error code: ${code}.`,
      );
  }
}
