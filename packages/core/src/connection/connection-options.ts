import { toDispatcher, type DispatchFunction, type Dispatcher } from "../dispatch/dispatcher.js";
import type { IncomingRequest } from "../dispatch/incoming-request.js";

/** Options of an icerpc connection, client or server side. Defaults are IceRPC's. */
export interface ConnectionOptions {
  /** Dispatches the peer's requests. Without one, the peer cannot send requests on this connection. */
  readonly dispatcher?: Dispatcher;
  /** Milliseconds without invocations, dispatches or open streams before the connection asks to shut down. */
  readonly inactivityTimeout: number;
  /** How many dispatches may run at once; 0 means no limit. */
  readonly maxDispatches: number;
  /** How many bidirectional streams (two-way requests) the peer may have open at once. */
  readonly maxBidirectionalStreams: number;
  /** How many unidirectional streams (one-way requests) the peer may have open at once, control stream excluded. */
  readonly maxUnidirectionalStreams: number;
  /** The largest request or response header this side accepts, in bytes (63 to 1,048,575). */
  readonly maxHeaderSize: number;
  /**
   * Whether the peer learns the type and message of an unexpected error a dispatcher throws (any error but a
   * `DispatchException`, whose message is always sent as given). Off by default: such a message may carry secrets
   * (a file path, a query, a key), so the peer gets only the status code, e.g. "The dispatch failed with status code
   * InternalError.", and the detail stays local, for {@link onDispatchError}. IceRPC C# always sends it.
   */
  readonly sendUnexpectedErrorDetail: boolean;
  /**
   * Called with each unexpected error a dispatcher throws and the request it was dispatching, before the peer gets
   * its response: where to log the detail. What it throws is ignored.
   */
  readonly onDispatchError?: (error: unknown, request: IncomingRequest) => void;
}

/**
 * The connection options an application gives (to a ClientConnection, a ConnectionCache or a Server, or to
 * `resolveConnectionOptions`): any of them, and the dispatcher as an object or a function.
 */
export type ConnectionOptionsInit = Partial<Omit<ConnectionOptions, "dispatcher">> & {
  readonly dispatcher?: Dispatcher | DispatchFunction;
};

export const defaultConnectionOptions: ConnectionOptions = Object.freeze({
  inactivityTimeout: 300_000,
  maxDispatches: 100,
  maxBidirectionalStreams: 100,
  maxUnidirectionalStreams: 100,
  maxHeaderSize: 16_383,
  sendUnexpectedErrorDetail: false,
});

/** How long an owner of connections lets each of them connect, and shut down gracefully. */
export interface ConnectionTimeouts {
  /** Milliseconds allowed to connect (transport handshake and icerpc Settings). */
  readonly connectTimeout: number;
  /** Milliseconds allowed for a graceful shutdown before the connection is disposed. */
  readonly shutdownTimeout: number;
}

/** Fills in the default timeouts (10 s each) and validates; throws `RangeError` naming the invalid one. */
export function resolveConnectionTimeouts(options: Partial<ConnectionTimeouts>): ConnectionTimeouts {
  const timeouts = { connectTimeout: options.connectTimeout ?? 10_000, shutdownTimeout: options.shutdownTimeout ?? 10_000 };
  checkInteger("connectTimeout", timeouts.connectTimeout, 1);
  checkInteger("shutdownTimeout", timeouts.shutdownTimeout, 1);
  return timeouts;
}

export const minMaxHeaderSize = 63;
export const maxMaxHeaderSize = 1_048_575;

/** Fills in defaults and validates; throws `RangeError` naming the invalid option. */
export function resolveConnectionOptions(options: ConnectionOptionsInit = {}): ConnectionOptions {
  const { dispatcher, ...rest } = options;
  const resolved: ConnectionOptions = {
    ...defaultConnectionOptions,
    ...stripUndefined(rest),
    ...(dispatcher === undefined ? {} : { dispatcher: toDispatcher(dispatcher) }),
  };
  checkInteger("inactivityTimeout", resolved.inactivityTimeout, 1);
  checkInteger("maxDispatches", resolved.maxDispatches, 0);
  checkInteger("maxBidirectionalStreams", resolved.maxBidirectionalStreams, 1);
  checkInteger("maxUnidirectionalStreams", resolved.maxUnidirectionalStreams, 1);
  checkInteger("maxHeaderSize", resolved.maxHeaderSize, minMaxHeaderSize, maxMaxHeaderSize);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new RangeError(`Invalid ${name} ${value}: it must be an integer ${range}.`);
  }
}
