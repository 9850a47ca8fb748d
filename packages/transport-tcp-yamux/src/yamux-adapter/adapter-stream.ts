import type { MultiplexedStream } from "@icerpc-ts/core/transport";
import { openHalfCount, presentInput, presentOutput } from "@icerpc-ts/core/transport-helpers";
import { Deferred } from "@icerpc-ts/primitives";
import type { YamuxStream } from "@icerpc-ts/yamux";

import { AdapterStreamInput, type InputOwner } from "./adapter-stream-input.js";
import { AdapterStreamOutput, type OutputOwner } from "./adapter-stream-output.js";
import { type ControlMessage, ControlMessageType } from "./control-message.js";

/** What a stream needs from its connection. */
export interface StreamHost {
  /** Puts `stream`, a local stream, on the wire (see `LocalStreams.open`); the stream is then `attach`ed. */
  open(stream: AdapterStream): void;
  /** Sends a control message about a stream. */
  sendControl(message: ControlMessage): void;
  /**
   * A yamux operation failed with an error that is not about a single stream: the session ended with it. Resolves
   * once the connection failed, which fails the stream.
   */
  sessionFailed(error: unknown): Promise<void>;
  /** Every half of `stream` is done on this side. */
  streamDone(stream: AdapterStream): void;
}

function ignore(): void {}

/** The `writesClosed` of a stream without output: nothing can be written, from the start. */
const noOutputWritesClosed = Promise.resolve();

/**
 * A stream of the contract over one yamux stream, plus the adapter protocol's rules for what yamux lacks:
 * - a local stream goes on the wire (yamux SYN with its kind byte) with the first thing sent on it;
 * - a reader's abort is a StopSending message, a writer's abort a ResetStream message while this side still reads
 *   the stream, else a yamux RST;
 * - a yamux RST is sent only once the peer knows the stream (it created it, sent FIN or RST on it, or a control message
 *   about it): before that, the RST could make it discard the kind byte, and it could not number the stream.
 */
export class AdapterStream implements MultiplexedStream, InputOwner, OutputOwner {
  readonly id: number;
  readonly isBidirectional: boolean;
  readonly isRemote: boolean;
  /** For the halves: reads or writes are done (a property, as the input hands it on as a callback). */
  readonly halfDone = (): void => this.#halfDone();
  readonly #host: StreamHost;
  readonly #input: AdapterStreamInput | undefined;
  readonly #output: AdapterStreamOutput | undefined;
  /** The yamux stream, once on the wire. */
  #yamux: YamuxStream | undefined;
  /** Resolves with the yamux stream once a local stream is on the wire; created when something waits for that. */
  #opened: Deferred<YamuxStream> | undefined;
  #openRequested = false;
  /** Why the local stream could not go on the wire (the session ended). */
  #openError: { readonly reason: unknown } | undefined;
  /** Resolves once the kind byte was handed to the byte channel: control messages about the stream may follow. */
  #kindSent: Promise<void> | undefined;
  /** The peer has shown that it knows the stream: from then on, a yamux RST is safe. */
  #peerKnows = false;
  #peerKnowsDeferred: Deferred<void> | undefined;
  /** The output was aborted while the input was not done: a yamux RST is owed once it is. */
  #resetOwed = false;
  #openHalves: number;
  #failed = false;

  /** A stream this side creates; it goes on the wire with the first thing sent on it. */
  static createLocal(id: number, bidirectional: boolean, host: StreamHost): AdapterStream {
    return new AdapterStream(id, bidirectional, false, host, undefined);
  }

  /**
   * A stream the peer created, over `yamux`; `firstBytes` arrived with its kind byte. The unused yamux direction of
   * a unidirectional stream is ended at once, so that the yamux stream closes with the peer's FIN.
   */
  static createRemote(
    id: number,
    bidirectional: boolean,
    host: StreamHost,
    yamux: YamuxStream,
    firstBytes: Uint8Array,
  ): AdapterStream {
    const stream = new AdapterStream(id, bidirectional, true, host, firstBytes);
    stream.#openRequested = true;
    stream.#peerKnows = true;
    stream.attach(yamux, Promise.resolve());
    if (!bidirectional) {
      void yamux.end();
    }
    return stream;
  }

  private constructor(
    id: number,
    bidirectional: boolean,
    isRemote: boolean,
    host: StreamHost,
    firstBytes: Uint8Array | undefined,
  ) {
    this.id = id;
    this.isBidirectional = bidirectional;
    this.isRemote = isRemote;
    this.#host = host;
    // The stream is its halves' owner (InputOwner, OutputOwner): no owner objects or closures per stream.
    this.#input = bidirectional || isRemote ? new AdapterStreamInput(this, firstBytes) : undefined;
    this.#output = bidirectional || !isRemote ? new AdapterStreamOutput(this) : undefined;
    this.#openHalves = openHalfCount(this.#input, this.#output);
  }

  /** A getter: the output creates its promise only when asked, and a client's stream is rarely asked. */
  get writesClosed(): Promise<void> {
    return this.#output?.writesClosed ?? noOutputWritesClosed;
  }

  get input(): AdapterStreamInput {
    return presentInput(this.#input, this.id);
  }

  get output(): AdapterStreamOutput {
    return presentOutput(this.#output, this.id);
  }

  /** The local stream is on the wire: `yamux` carries it, and `kindSent` resolves once its kind byte left. */
  attach(yamux: YamuxStream, kindSent: Promise<void>): void {
    this.#yamux = yamux;
    this.#kindSent = kindSent; // a yamux write's promise: never reported as an unhandled rejection
    this.#opened?.resolve(yamux);
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

  /** Opening the local stream failed: the session ended. */
  openFailed(error: unknown): void {
    this.#openError = { reason: error };
    this.#kindSent = Promise.reject(error);
    this.#kindSent.catch(ignore);
    this.#opened?.reject(error);
    void this.#host.sessionFailed(error);
  }

  /** The peer's reader aborted this stream (StopSending). */
  stopSendingReceived(): void {
    this.#markPeerKnows();
    this.#output?.stop(true);
  }

  /** The peer aborted its output on this stream while reading it still (ResetStream). */
  resetStreamReceived(): void {
    this.#markPeerKnows();
    this.#input?.peerReset();
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

  // --- For the halves (InputOwner, OutputOwner) ----------------------------------------------------------------

  openedYamuxStream(): YamuxStream | undefined {
    return this.#yamux;
  }

  sessionFailed(error: unknown): Promise<void> {
    return this.#host.sessionFailed(error);
  }

  /** The yamux stream, once on the wire; asking for it puts a local stream on the wire. */
  yamuxStream(): Promise<YamuxStream> {
    this.requestOpen();
    return this.whenOpened();
  }

  requestOpen(): YamuxStream | undefined {
    if (!this.#openRequested) {
      this.#openRequested = true;
      this.#host.open(this);
    }
    return this.#yamux;
  }

  /** The yamux stream, once something puts the stream on the wire. */
  whenOpened(): Promise<YamuxStream> {
    if (this.#yamux !== undefined) {
      return Promise.resolve(this.#yamux);
    }
    if (this.#openError !== undefined) {
      return Promise.reject(this.#openError.reason);
    }
    if (this.#opened === undefined) {
      this.#opened = new Deferred<YamuxStream>();
      this.#opened.promise.catch(ignore); // the connection's failure is what operations report
    }
    return this.#opened.promise;
  }

  /** The yamux stream, once on the wire with its kind byte handed to the byte channel. */
  async #announced(): Promise<YamuxStream> {
    const yamux = await this.yamuxStream();
    await this.#kindSent;
    return yamux;
  }

  #markPeerKnows(): void {
    this.#peerKnows = true;
    this.#peerKnowsDeferred?.resolve();
  }

  #whenPeerKnows(): Promise<void> {
    if (this.#peerKnows) {
      return Promise.resolve();
    }
    this.#peerKnowsDeferred ??= new Deferred<void>();
    return this.#peerKnowsDeferred.promise;
  }

  inputAborted(): void {
    this.#sendControl({ type: ControlMessageType.StopSending, streamId: this.id });
  }

  outputAborted(): void {
    if (this.#input === undefined || this.#input.isDone) {
      this.#resetWhenPeerKnows();
    } else {
      this.#resetOwed = true;
      this.#sendControl({ type: ControlMessageType.ResetStream, streamId: this.id });
    }
  }

  /** Sends `message` once the stream is on the wire, so that the peer knows the stream it names. */
  #sendControl(message: ControlMessage): void {
    this.#announced().then(() => {
      if (!this.#failed) {
        this.#host.sendControl(message);
      }
    }, ignore);
  }

  #resetWhenPeerKnows(): void {
    Promise.all([this.#announced(), this.#whenPeerKnows()]).then(([yamux]) => {
      if (!this.#failed) {
        yamux.reset();
      }
    }, ignore);
  }

  #halfDone(): void {
    if (this.#resetOwed && this.#input?.isDone === true) {
      this.#resetOwed = false;
      this.#resetWhenPeerKnows();
    }
    if (--this.#openHalves === 0) {
      this.#host.streamDone(this);
    }
  }
}
