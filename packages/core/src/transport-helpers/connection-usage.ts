import { InvalidOperationError, ObjectDisposedError } from "../errors/usage-errors.js";

/**
 * What a connection's `createStream`, `acceptStream` and `close` return when they cannot run, as the contract has
 * it: `ObjectDisposedError` (naming `label`) once the connection is `disposed`, `InvalidOperationError` until its
 * `connect` succeeded (`connected`). Undefined when the connection can do `operation`. (Booleans rather than an
 * object: `createStream` calls it for every request.)
 */
export function rejectUnlessConnected(
  disposed: boolean,
  connected: boolean,
  label: string,
  operation: string,
): Promise<never> | undefined {
  if (disposed) {
    return Promise.reject(new ObjectDisposedError(label));
  }
  if (!connected) {
    return Promise.reject(
      new InvalidOperationError(
        `Cannot ${operation}: the connection is not connected; call connect first and wait for it to succeed.`,
      ),
    );
  }
  return undefined;
}

/** A `RangeError` rejection for a close code that is not a non-negative safe integer; undefined for a valid one. */
export function rejectInvalidCloseCode(code: number): Promise<never> | undefined {
  return Number.isSafeInteger(code) && code >= 0
    ? undefined
    : Promise.reject(new RangeError(`Invalid close code ${code}: use a MultiplexedConnectionCloseError value.`));
}
