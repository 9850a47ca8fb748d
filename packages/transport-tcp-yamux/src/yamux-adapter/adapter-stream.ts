import type { MultiplexedStream } from "@icerpc-ts/core/transport";
import { openHalfCount, presentInput, presentOutput } from "@icerpc-ts/core/transport-helpers";
import type { YamuxStream } from "@icerpc-ts/yamux";

import { AdapterStreamInput } from "./adapter-stream-input.js";
import { AdapterStreamOutput } from "./adapter-stream-output.js";
import { type ControlMessage, ControlMessageType } from "./control-message.js";

/** What a stream needs from its connection. */
export interface StreamHost {
  /** Puts `stream`, a local stream, on the wire (see `LocalStreams.open`): it is then `attach`ed or `openFailed`. */
  open(stream: AdapterStream): void;
  sendControl(message: ControlMessage): void;
  /** A yamux operation failed with a session-wide error: resolves once the connection failed with it. */
  sessionFailed(error: unknown): Promise<void>;
  /** Every half of `stream` is done on this side. */
  streamDone(stream: AdapterStream): void;
}

/** The control messages about a stream. */
export type PeerStreamAction = ControlMessageType.StopSending | ControlMessageType.ResetStream;

function ignore(): void {}

const interrupted = (): Error => new Error("The stream output was interrupted.");

/** A settled promise, shared: the `writesClosed` of a stream without output, the `kindSent` of a remote stream. */
const settled = Promise.resolve();

/**
 * A stream of the contract over one yamux stream, plus the adapter protocol's rules for what yamux lacks:
 * - a local stream goes on the wire (yamux SYN with its kind byte) with the first thing sent on it;
 * - a reader's abort is a StopSending message, a writer's abort a ResetStream message while this side still reads
 *   the stream, then a yamux RST once it does not;
 * - a yamux RST is sent only once the peer knows the stream (it created it, sent FIN or RST on it, or a control
 *   message about it): before that, the RST could make it discard the kind byte, and it could not number the stream.
 */
export class AdapterStream implements MultiplexedStream {
  readonly id: number;
  readonly isBidirectional: boolean;
  readonly isRemote: boolean;
  readonly #host: StreamHost;
  readonly #input: AdapterStreamInput | undefined;
  readonly #output: AdapterStreamOutput | undefined;
  /** The yamux stream, once on the wire. */
  #yamux: YamuxStream | undefined;
  #openRequested = false;
  /** Why the session could not open the local stream. */
  #openError: { readonly reason: unknown } | undefined;
  /** Resolves once the kind byte was handed to the byte channel: control messages about the stream may follow. */
  #kindSent: Promise<void> = settled;
  /** `kindSent` resolved. */
  #kindLeft: boolean;
  /** The peer has shown that it knows the stream: from then on, a yamux RST is safe. */
  #peerKnows: boolean;
  /** The output was aborted: a yamux RST is owed once the input is done and the peer knows the stream. */
  #resetOwed = false;
  #openHalves: number;
  #failed = false;

  /**
   * A stream this side creates, or, with `yamux`, one the peer created (`firstBytes` arrived with its kind byte; the
   * unused yamux direction of a unidirectional stream is ended at once, so that it closes with the peer's FIN).
   */
  constructor(id: number, bidirectional: boolean, host: StreamHost, yamux?: YamuxStream, firstBytes?: Uint8Array) {
    this.id = id;
    this.isBidirectional = bidirectional;
    this.isRemote = yamux !== undefined;
    this.#host = host;
    this.#input = bidirectional || this.isRemote ? new AdapterStreamInput(this, firstBytes) : undefined;
    this.#output = bidirectional || !this.isRemote ? new AdapterStreamOutput(this) : undefined;
    this.#openHalves = openHalfCount(this.#input, this.#output);
    this.#peerKnows = this.isRemote;
    this.#kindLeft = this.isRemote;
    if (yamux !== undefined) {
      this.#openRequested = true;
      this.attach(yamux, settled);
      if (!bidirectional) {
        void yamux.end();
      }
    }
  }

  /** A getter: the output creates its promise only when asked, and a client's stream is rarely asked. */
  get writesClosed(): Promise<void> {
    return this.#output?.writesClosed ?? settled;
  }

  get input(): AdapterStreamInput {
    return presentInput(this.#input, this.id);
  }

  get output(): AdapterStreamOutput {
    return presentOutput(this.#output, this.id);
  }

  /** The yamux stream, if the stream is on the wire. */
  get yamux(): YamuxStream | undefined {
    return this.#yamux;
  }

  /** The stream is on the wire: `yamux` carries it, and `kindSent` resolves once its kind byte left. */
  attach(yamux: YamuxStream, kindSent: Promise<void>): void {
    this.#yamux = yamux;
    this.#kindSent = kindSent; // a yamux write's promise: never reported as an unhandled rejection
    kindSent.then(() => {
      this.#kindLeft = true;
    }, ignore);
    this.#input?.opened();
    void yamux.remoteClosed.then((how) => {
      if (how !== "aborted") {
        this.#markPeerKnows();
      }
      if (how === "reset") {
        // The peer resets only what it no longer reads and no longer writes.
        this.#input?.peerReset();
        this.#output?.stop(false);
      }
    });
  }

  /** The session could not open the local stream: the connection fails with `error`. */
  openFailed(error: unknown): void {
    this.#openError = { reason: error };
    void this.#host.sessionFailed(error);
  }

  /** Puts a local stream on the wire if it is not: returns its yamux stream, or throws why the session cannot. */
  open(): YamuxStream {
    if (!this.#openRequested) {
      this.#openRequested = true;
      this.#host.open(this);
    }
    if (this.#openError !== undefined) {
      throw this.#openError.reason;
    }
    return this.#yamux!;
  }

  /** `open`, undefined when the session cannot open the stream (the connection fails then). */
  tryOpen(): YamuxStream | undefined {
    try {
      return this.open();
    } catch {
      return undefined;
    }
  }

  sessionFailed(error: unknown): Promise<void> {
    return this.#host.sessionFailed(error);
  }

  /**
   * Gives up the bytes of this stream yamux has not sent yet, never its kind byte: a stream whose kind byte is still
   * queued gives them up once it left.
   */
  withdrawWrites(): void {
    const yamux = this.#yamux;
    if (yamux === undefined) {
      return;
    }
    if (this.#kindLeft) {
      yamux.withdrawWrites(interrupted());
    } else {
      this.#kindSent.then(() => yamux.withdrawWrites(interrupted()), ignore);
    }
  }

  /** The peer's reader aborted this stream (StopSending), or the peer aborted its output while reading (ResetStream). */
  receive(message: PeerStreamAction): void {
    this.#markPeerKnows();
    if (message === ControlMessageType.StopSending) {
      this.#output?.stop(true);
    } else {
      this.#input?.peerReset();
    }
  }

  /**
   * The connection failed: the halves not done yet discard their bytes, their pending and later reads and flushes
   * reject with `currentError()`, and `writesClosed` resolves. Nothing more is sent for this stream.
   */
  fail(currentError: () => Error): void {
    this.#failed = true;
    this.#input?.fail(currentError);
    this.#output?.fail(currentError);
  }

  /** The reader stopped before the end. */
  inputAborted(): void {
    this.#sendControl({ type: ControlMessageType.StopSending, streamId: this.id });
  }

  /** The writer aborted. */
  outputAborted(): void {
    if (this.#input?.isDone === false) {
      this.#sendControl({ type: ControlMessageType.ResetStream, streamId: this.id });
    } else if (!this.tryOpen()) {
      return;
    }
    this.#resetOwed = true;
    this.#resetIfDue();
  }

  /** Reads or writes are done. */
  halfDone(): void {
    this.#resetIfDue();
    if (--this.#openHalves === 0) {
      this.#host.streamDone(this);
    }
  }

  /** Sends `message` once the stream's SYN left, so that the peer knows the stream it names. */
  #sendControl(message: ControlMessage): void {
    if (this.tryOpen()) {
      this.#kindSent.then(() => {
        if (!this.#failed) {
          this.#host.sendControl(message);
        }
      }, ignore);
    }
  }

  #markPeerKnows(): void {
    this.#peerKnows = true;
    this.#resetIfDue();
  }

  #resetIfDue(): void {
    if (this.#resetOwed && this.#peerKnows && this.#input?.isDone !== false && !this.#failed) {
      this.#resetOwed = false;
      this.#yamux?.reset();
    }
  }
}
