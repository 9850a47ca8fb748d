import { expect } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";

/**
 * Runs `operation` and returns its result as a promise, so that a synchronous throw and a rejection are asserted
 * alike. Used where the contract says an async method "throws" without saying whether before or after it returns.
 */
export function asPromise<T>(operation: () => T | Promise<T>): Promise<T> {
  return Promise.resolve().then(operation);
}

/**
 * Marks `operation` as handled and returns it, for an operation the test starts now but awaits only after other
 * steps: if it rejects meanwhile, that is not reported as an unhandled rejection. Awaiting it later still throws.
 */
export function handledLater<T>(operation: Promise<T>): Promise<T> {
  operation.catch(() => {});
  return operation;
}

/** A short description of `error` for assertion messages, e.g. `IceRpcException(ConnectionAborted)`. */
export function describeError(error: unknown): string {
  if (error instanceof IceRpcException) {
    return `IceRpcException(${IceRpcError[error.error]})`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** How `operation` settled, in words ("resolved with ..." or "rejected with ..."). */
export function describeOutcome(operation: Promise<unknown>): Promise<string> {
  return operation.then(
    (value) => `resolved with ${describeValue(value)}`,
    (error: unknown) => `rejected with ${describeError(error)}`,
  );
}

/** A short description of `value` for assertion messages, e.g. `3 byte(s)` or `a MemoryStream`. */
export function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) {
    return `${value.length} byte(s)`;
  }
  if (typeof value === "object" && value !== null) {
    return `a ${(value.constructor as { name?: string } | undefined)?.name ?? "object"}`;
  }
  return typeof value === "string" ? `"${value}"` : String(value);
}

/** Waits for `operation` to reject and returns the reason; fails if it resolves. */
export async function rejectionOf(operation: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await operation;
  } catch (error) {
    return error;
  }
  throw new Error(`Expected the operation to fail, but it resolved with ${describeValue(value)}.`);
}

/** Fails unless `operation` rejects with an `IceRpcException` carrying `expected`. */
export async function expectIceRpcError(operation: Promise<unknown>, expected: IceRpcError): Promise<void> {
  // Comparing descriptions makes a failure read "expected IceRpcException(X), received IceRpcException(Y)".
  expect(describeError(await rejectionOf(operation))).toBe(`IceRpcException(${IceRpcError[expected]})`);
}
