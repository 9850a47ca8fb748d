import { IceRpcError } from "@icerpc-ts/core";
import { MultiplexedConnectionCloseError } from "@icerpc-ts/core/transport";

/** A connection close code and the error the peer must report for it. */
export interface CloseCase {
  readonly code: MultiplexedConnectionCloseError;
  /** How test names show the code, e.g. `code Refused`. */
  readonly label: string;
  readonly peerError: IceRpcError;
}

function closeCase(code: MultiplexedConnectionCloseError, peerError: IceRpcError): CloseCase {
  return { code, label: `code ${MultiplexedConnectionCloseError[code] ?? code}`, peerError };
}

/** Every known close code, plus an unknown one (255), with the error the peer maps it to (IceRPC §1.10). */
export const closeCases: readonly CloseCase[] = [
  closeCase(MultiplexedConnectionCloseError.NoError, IceRpcError.ConnectionClosedByPeer),
  closeCase(MultiplexedConnectionCloseError.Aborted, IceRpcError.ConnectionAborted),
  closeCase(MultiplexedConnectionCloseError.Refused, IceRpcError.ConnectionRefused),
  closeCase(MultiplexedConnectionCloseError.ServerBusy, IceRpcError.ServerBusy),
  closeCase(255 as MultiplexedConnectionCloseError, IceRpcError.ConnectionAborted),
];
