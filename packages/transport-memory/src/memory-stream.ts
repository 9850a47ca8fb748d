import type { MultiplexedStream } from "@icerpc-ts/core/transport";
import { openHalfCount, presentInput, presentOutput } from "@icerpc-ts/core/transport-helpers";

import type { SendToPeer } from "./send-to-peer.js";
import { MemoryStreamInput } from "./stream-input.js";
import { MemoryStreamOutput } from "./stream-output.js";

/** What a stream needs from the connection end it belongs to. */
export interface StreamHost {
  readonly sendToPeer: SendToPeer;
  /** The flow-control window of each stream direction, in bytes. */
  readonly windowSize: number;
  /** Every direction of `stream` is done on this end: nothing can fail on it anymore, forget it. */
  streamDone(stream: MemoryStream): void;
  /** The accepting end is done with `stream`, a stream this end created: its slot in the peer's limit is free. */
  releaseSlot(stream: MemoryStream): void;
}

/**
 * One end of a stream. The creator's end and the acceptor's end are built together and linked direction by
 * direction; each end talks to the other only through its connection's `sendToPeer`, so it observes the other's
 * actions asynchronously and in order, as over a network.
 *
 * As in QUIC, a stream holds a slot of the acceptor's limit until the acceptor's end is done with it: its input read
 * to the end, its abort seen, or aborted; its output (if any) ended, aborted or stopped by the creator. The
 * acceptor's end then tells the creator's end, which frees the slot on its connection.
 */
export class MemoryStream implements MultiplexedStream {
  readonly id: number;
  readonly isBidirectional: boolean;
  readonly isRemote: boolean;
  readonly writesClosed: Promise<void>;
  readonly #input: MemoryStreamInput | undefined;
  readonly #output: MemoryStreamOutput | undefined;
  readonly #host: StreamHost;
  #twin!: MemoryStream;
  /** How many of this end's directions are not done yet. */
  #openHalves: number;

  /** Creates the creator's end of a new stream and the acceptor's end that the peer connection will accept. */
  static createPair(
    id: number,
    bidirectional: boolean,
    creator: StreamHost,
    acceptor: StreamHost,
  ): { local: MemoryStream; remote: MemoryStream } {
    const local = new MemoryStream(id, bidirectional, false, creator);
    const remote = new MemoryStream(id, bidirectional, true, acceptor);
    local.#twin = remote;
    remote.#twin = local;
    local.#output!.connectTo(remote.#input!);
    remote.#input!.connectTo(local.#output!);
    if (bidirectional) {
      remote.#output!.connectTo(local.#input!);
      local.#input!.connectTo(remote.#output!);
    }
    return { local, remote };
  }

  private constructor(id: number, bidirectional: boolean, isRemote: boolean, host: StreamHost) {
    this.id = id;
    this.isBidirectional = bidirectional;
    this.isRemote = isRemote;
    this.#host = host;
    const onHalfDone = (): void => this.#halfDone();
    this.#input = bidirectional || isRemote ? new MemoryStreamInput(host.sendToPeer, onHalfDone) : undefined;
    this.#output =
      bidirectional || !isRemote ? new MemoryStreamOutput(host.sendToPeer, host.windowSize, onHalfDone) : undefined;
    this.#openHalves = openHalfCount(this.#input, this.#output);
    this.writesClosed = this.#output?.writesClosed ?? Promise.resolve();
  }

  get input(): MemoryStreamInput {
    return presentInput(this.#input, this.id);
  }

  get output(): MemoryStreamOutput {
    return presentOutput(this.#output, this.id);
  }

  /**
   * The connection failed: the directions not done yet discard their bytes, their pending and later reads and
   * flushes reject with `currentError()` (the connection's error at the time of the call), and `writesClosed`
   * resolves.
   */
  fail(currentError: () => Error): void {
    this.#input?.fail(currentError);
    this.#output?.fail(currentError);
  }

  #halfDone(): void {
    if (--this.#openHalves > 0) {
      return;
    }
    if (this.isRemote) {
      const twin = this.#twin;
      this.#host.sendToPeer(() => twin.#host.releaseSlot(twin));
    }
    this.#host.streamDone(this);
  }
}
