import type {
  MultiplexedConnection,
  MultiplexedConnectionCloseError,
  MultiplexedStream,
  TransportConnectionInformation,
} from "@icerpc-ts/core/transport";

import { FaultyStream } from "./faulty-stream.js";
import { ItemList } from "./item-list.js";
import { OperationLog } from "./operation-log.js";
import { OperationSwitches } from "./operation-switches.js";
import type { FaultPlan } from "./transport-operation.js";

/**
 * A connection whose `connect`, `createStream`, `acceptStream`, `close` and `dispose` go through
 * {@link OperationSwitches}, and whose streams are {@link FaultyStream}s (IceRPC C#'s
 * `TestMultiplexedConnectionDecorator`). Disposing it releases every hold of the connection and of its streams, so
 * that nothing a test held outlives the connection.
 */
export class FaultyConnection implements MultiplexedConnection {
  /** The switches of the connection's own operations. */
  readonly operations: OperationSwitches;
  /** The calls of the connection's operations and of its streams' operations. */
  readonly log: OperationLog;
  /** The plan of the streams created or accepted from now on; streams that exist keep their own switches. */
  streamFaults: FaultPlan;
  /** The streams this side created, in creation order (for an icerpc connection, its control stream first). */
  readonly createdStreams = new ItemList<FaultyStream>("created stream");
  /** The streams this side accepted, in order (for an icerpc connection, the peer's control stream first). */
  readonly acceptedStreams = new ItemList<FaultyStream>("accepted stream");
  /** The code of the first `close` call, if any. */
  closeCode: MultiplexedConnectionCloseError | undefined;
  readonly #decoratee: MultiplexedConnection;
  /** Streams the transport delivered to an accept call that was then aborted while held: the next accept's. */
  readonly #unaccepted: MultiplexedStream[] = [];

  /** @param transportLog the log of the transport, which also records this connection's calls. */
  constructor(decoratee: MultiplexedConnection, plan: FaultPlan, transportLog: OperationLog) {
    this.#decoratee = decoratee;
    this.log = new OperationLog(transportLog);
    this.operations = new OperationSwitches(plan, this.log);
    this.streamFaults = plan;
  }

  connect(signal?: AbortSignal): Promise<TransportConnectionInformation> {
    return this.operations.run("connect", signal, () => this.#decoratee.connect(signal));
  }

  async createStream(bidirectional: boolean, signal?: AbortSignal): Promise<MultiplexedStream> {
    const stream = await this.operations.run(
      "createStream",
      signal,
      () => this.#decoratee.createStream(bidirectional, signal),
      // Nobody will use a stream whose creation was then failed or aborted: release it.
      (created) => {
        created.output.abort();
        if (created.isBidirectional) {
          created.input.abort();
        }
      },
    );
    return this.createdStreams.add(new FaultyStream(stream, this.streamFaults, this.log));
  }

  async acceptStream(signal?: AbortSignal): Promise<MultiplexedStream> {
    const stream = await this.operations.run(
      "acceptStream",
      signal,
      () => {
        const unaccepted = this.#unaccepted.shift();
        return unaccepted === undefined ? this.#decoratee.acceptStream(signal) : Promise.resolve(unaccepted);
      },
      // An aborted accept loses no stream, as with QUIC: the stream waits for the next accept.
      (accepted) => this.#unaccepted.unshift(accepted),
    );
    return this.acceptedStreams.add(new FaultyStream(stream, this.streamFaults, this.log));
  }

  close(code: MultiplexedConnectionCloseError, signal?: AbortSignal): Promise<void> {
    this.closeCode ??= code;
    return this.operations.run("close", signal, async () => {
      await this.#decoratee.close(code, signal);
      // As the C# decorator: once closed, held stream creations and accepts go on (and fail in the transport).
      this.operations.release("createStream", "acceptStream");
    });
  }

  async dispose(): Promise<void> {
    try {
      await this.operations.runDispose(this.#decoratee);
    } finally {
      this.releaseAll();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Releases every hold and stops every failure of this connection and of its streams. */
  releaseAll(): void {
    this.operations.releaseAll();
    for (const stream of [...this.createdStreams, ...this.acceptedStreams]) {
      stream.operations.releaseAll();
    }
  }
}
