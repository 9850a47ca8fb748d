import type { FlushResult, MultiplexedStream, StreamInput, StreamOutput } from "@icerpc-ts/core/transport";
import { Deferred } from "@icerpc-ts/primitives";

import type { OperationLog } from "./operation-log.js";
import { OperationSwitches } from "./operation-switches.js";
import type { FaultPlan } from "./transport-operation.js";

/** How the reading side of a stream was finished by its reader. */
export type InputCompletion = "read to end" | "aborted";

/** How the writing side of a stream was finished by its writer. */
export type OutputCompletion = "ended" | "aborted";

/**
 * A stream whose reads (`streamRead`) and flushes (`streamWrite`) go through {@link OperationSwitches}, and which
 * records how its reader and its writer finished it, the stream-level view of "the payload was completed".
 */
export class FaultyStream implements MultiplexedStream {
  readonly operations: OperationSwitches;
  readonly input: StreamInput;
  readonly output: StreamOutput;
  readonly #decoratee: MultiplexedStream;
  readonly #inputCompletion = new Deferred<InputCompletion>();
  readonly #outputCompletion = new Deferred<OutputCompletion>();
  /** What a read got from the transport but could not return (held, then aborted by its signal): the next read's. */
  #unreturned: { chunk: Uint8Array | null } | undefined;

  /** @param log the log of the stream's connection, which also records the stream's calls. */
  constructor(decoratee: MultiplexedStream, plan: FaultPlan, log: OperationLog) {
    this.#decoratee = decoratee;
    this.operations = new OperationSwitches(plan, log);
    this.input = {
      read: (signal) => this.#read(signal),
      // Always through `read`, where the streamRead faults apply.
      tryRead: () => undefined,
      abort: () => {
        // As the C# decorator: finishing a direction releases its held operations, which then fail in the transport.
        this.operations.release("streamRead");
        this.#decoratee.input.abort();
        this.#inputCompletion.resolve("aborted");
      },
    };
    const output: StreamOutput = {
      write: (data) => this.#decoratee.output.write(data),
      get unflushedBytes() {
        return decoratee.output.unflushedBytes;
      },
      flush: (signal) => this.#write(signal, (s) => this.#decoratee.output.flush(s)),
      end: (signal) =>
        this.#write(signal, (s) => this.#decoratee.output.end(s)).then((result) => {
          this.#outputCompletion.resolve("ended");
          return result;
        }),
      abort: () => {
        this.operations.release("streamWrite");
        this.#decoratee.output.abort();
        this.#outputCompletion.resolve("aborted");
      },
    };
    this.output = output;
  }

  get id(): number {
    return this.#decoratee.id;
  }

  get isBidirectional(): boolean {
    return this.#decoratee.isBidirectional;
  }

  get isRemote(): boolean {
    return this.#decoratee.isRemote;
  }

  get writesClosed(): Promise<void> {
    return this.#decoratee.writesClosed;
  }

  /** Resolves once the reader read the end of the stream or aborted the input. */
  get inputCompletion(): Promise<InputCompletion> {
    return this.#inputCompletion.promise;
  }

  /** Resolves once the writer ended (successfully) or aborted the output. */
  get outputCompletion(): Promise<OutputCompletion> {
    return this.#outputCompletion.promise;
  }

  async #read(signal: AbortSignal | undefined): Promise<Uint8Array | null> {
    const chunk = await this.operations.run(
      "streamRead",
      signal,
      () => {
        const unreturned = this.#unreturned;
        if (unreturned === undefined) {
          return this.#decoratee.input.read(signal);
        }
        if (signal?.aborted) {
          return Promise.reject(signal.reason);
        }
        this.#unreturned = undefined;
        return Promise.resolve(unreturned.chunk);
      },
      // An aborted read is transient (contract): keep what the transport delivered for the next read.
      (chunk) => (this.#unreturned = { chunk }),
    );
    if (chunk === null) {
      this.#inputCompletion.resolve("read to end");
    }
    return chunk;
  }

  #write(signal: AbortSignal | undefined, send: (signal?: AbortSignal) => Promise<FlushResult>): Promise<FlushResult> {
    return this.operations.run("streamWrite", signal, () => send(signal));
  }
}
