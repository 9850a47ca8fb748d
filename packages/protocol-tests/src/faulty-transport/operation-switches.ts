import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { Deferred, waitAbortable } from "@icerpc-ts/primitives";

import { OperationLog } from "./operation-log.js";
import type { FaultPlan, TransportOperation } from "./transport-operation.js";

/**
 * The hold and fail switches of one connection, stream or listener (IceRPC C#'s `TransportOperations`), with the log
 * of the calls that went through them, so that a test can wait for "the server is now blocked in acceptStream".
 *
 * A call checks the switches when it starts and again once the real operation returned, like the C# decorator: a
 * test can thus hold or fail an operation that is already waiting in the transport (an `acceptStream` always is),
 * and it is held or fails with what the transport returned.
 */
export class OperationSwitches extends OperationLog {
  /** The held operations, each with what releases its waiting calls. */
  readonly #holds = new Map<TransportOperation, Deferred<void>>();
  readonly #failures = new Map<TransportOperation, Error>();

  /** @param parent the log that also records this object's calls (its connection's, or its transport's). */
  constructor(plan: FaultPlan = {}, parent?: OperationLog) {
    super(parent);
    this.hold(...(plan.hold ?? []));
    for (const operation of plan.fail ?? []) {
      this.fail(operation, plan.failure);
    }
  }

  /** Makes calls of `operations` wait, from now on and including calls that are in the transport, until released. */
  hold(...operations: TransportOperation[]): this {
    for (const operation of operations) {
      if (!this.#holds.has(operation)) {
        this.#holds.set(operation, new Deferred<void>());
      }
    }
    return this;
  }

  /** Lets the held calls of `operations` go on, and later calls through. */
  release(...operations: TransportOperation[]): this {
    for (const operation of operations) {
      this.#holds.get(operation)?.resolve();
      this.#holds.delete(operation);
    }
    return this;
  }

  /**
   * Makes calls of `operation` reject with `failure`, by default an `IceRpcException(IceRpcError)` naming the
   * operation. The same error object is thrown by every failing call, so a test can check it arrives unchanged.
   */
  fail(operation: TransportOperation, failure: Error = defaultFailure(operation)): this {
    this.#failures.set(operation, failure);
    return this;
  }

  /** Stops failing `operations`. */
  succeed(...operations: TransportOperation[]): this {
    for (const operation of operations) {
      this.#failures.delete(operation);
    }
    return this;
  }

  /** Releases every hold and stops every failure: what a test's cleanup does so that nothing stays blocked. */
  releaseAll(): this {
    this.release(...this.#holds.keys());
    this.#failures.clear();
    return this;
  }

  isHeld(operation: TransportOperation): boolean {
    return this.#holds.has(operation);
  }

  /**
   * Runs a decoratee's `dispose` as the "dispose" operation. When a switch fails it, the real dispose still runs, so
   * that a test leaks nothing; the failure is then rethrown.
   */
  async runDispose(decoratee: { dispose(): Promise<void> }): Promise<void> {
    try {
      await this.run("dispose", undefined, () => decoratee.dispose());
    } catch (error) {
      await decoratee.dispose();
      throw error;
    }
  }

  /**
   * Runs one call of `operation`: checks the switches, runs `action` (the real operation), checks them again. When
   * the second check holds the call and `signal` aborts, or fails it, the value `action` produced is handed to
   * `discard` so that the caller can keep or release it: it must not be lost silently.
   */
  async run<T>(
    operation: TransportOperation,
    signal: AbortSignal | undefined,
    action: () => Promise<T>,
    discard?: (value: T) => void,
  ): Promise<T> {
    this.record("reached", operation);
    try {
      await this.#gate(operation, signal);
      const value = await action();
      try {
        await this.#gate(operation, signal);
      } catch (error) {
        discard?.(value);
        throw error;
      }
      return value;
    } finally {
      this.record("finished", operation);
    }
  }

  #gate(operation: TransportOperation, signal: AbortSignal | undefined): Promise<void> {
    const failure = this.#failures.get(operation);
    if (failure !== undefined) {
      return Promise.reject(failure);
    }
    const hold = this.#holds.get(operation);
    if (hold === undefined) {
      return Promise.resolve();
    }
    this.record("blocked", operation);
    return waitAbortable(hold.promise, signal);
  }
}

function defaultFailure(operation: TransportOperation): IceRpcException {
  return new IceRpcException(IceRpcError.IceRpcError, `The faulty transport failed '${operation}' as the test asked.`);
}
