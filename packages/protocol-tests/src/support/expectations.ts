import { expect } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { rejectionOf } from "@icerpc-ts/transport-conformance";

/** A short description of `error` for assertion messages, e.g. `IceRpcException(ConnectionAborted)`. */
export function describeError(error: unknown): string {
  if (error instanceof IceRpcException) {
    return `IceRpcException(${IceRpcError[error.error]}): ${error.message}`;
  }
  if (error instanceof Error || error instanceof DOMException) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}

/**
 * Fails unless `operation` rejects with an `IceRpcException` carrying one of `expected`; returns the exception. The
 * comparison is on descriptions so that a failure reads "expected IceRpcException(X), received ...".
 */
export async function expectIceRpcError(operation: Promise<unknown>, ...expected: IceRpcError[]): Promise<IceRpcException> {
  const error = await rejectionOf(operation);
  if (!(error instanceof IceRpcException) || !expected.includes(error.error)) {
    expect(describeError(error)).toBe(`IceRpcException(${expected.map((e) => IceRpcError[e]).join(" or ")})`);
  }
  return error as IceRpcException;
}

/** Fails unless `operation` rejects with exactly `expected` (the same object). */
export async function expectRejectsWith(operation: Promise<unknown>, expected: unknown): Promise<void> {
  const error = await rejectionOf(operation);
  if (error !== expected) {
    expect(describeError(error)).toBe(`${describeError(expected)} (the very same error object)`);
  }
}

/** Fails unless `operation` rejects with an instance of `type`; returns the error. */
export async function expectRejectsWithType<T>(operation: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await rejectionOf(operation);
  if (!(error instanceof type)) {
    expect(describeError(error)).toBe(`an instance of ${type.name}`);
  }
  return error as T;
}

/** Fails unless `operation` rejects with a `DOMException` named `TimeoutError` (a connect or shutdown timeout). */
export async function expectTimeoutError(operation: Promise<unknown>): Promise<void> {
  const error = await rejectionOf(operation);
  expect(describeError(error)).toMatch(/^TimeoutError: /);
}

/** Lets every pending I/O and timer callback run (never used to wait for something to happen). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` settled yet, observed without affecting it (its rejection counts as handled). */
export function trackSettlement(promise: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/**
 * Fails, naming the first differing offset, unless `actual` and `expected` hold the same bytes. A plain loop: jest's
 * `toEqual` is very slow on large typed arrays and its failure output unreadable.
 */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  let firstDifference = -1;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      firstDifference = i;
      break;
    }
  }
  expect(firstDifference === -1 ? "same bytes" : `first difference at offset ${firstDifference}`).toBe("same bytes");
}
