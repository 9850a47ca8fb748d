import type { StreamLimits } from "@icerpc-ts/core/transport";
import { streamIdOf } from "@icerpc-ts/core/transport-helpers";
import { runSoon, type YamuxSession, type YamuxStream } from "@icerpc-ts/yamux";

import { AdapterStream, type PeerStreamAction, type StreamHost } from "./adapter-stream.js";
import { ControlMessageType } from "./control-message.js";
import { adapterProtocolError } from "./protocol-error.js";
import { StreamKind } from "./stream-kind.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

/** Per-kind counters of the streams the peer creates. */
class RemoteKind {
  readonly kind: StreamKind;
  /** How many streams of this kind this side accepts at once (its Settings). */
  readonly limit: number;
  nextSequence = 0;
  /** Accepted streams this side did not release yet. */
  unreleased = 0;
  /** Released streams the peer was not told of yet. */
  unannounced = 0;
  /** Released streams the next StreamsReleased message announces. */
  announcing = 0;

  constructor(kind: StreamKind, limit: number) {
    this.kind = kind;
    this.limit = limit;
  }
}

/**
 * The streams the peer creates: the loop that accepts their yamux streams, reads their kind byte and numbers them
 * per kind in the order their SYNs arrived, the check of this side's limits, and the release of finished streams,
 * announced in batches as the package README's "Limits" says (a StreamsReleased message per request would cost both
 * sides as much CPU as a quarter of the request itself).
 */
export class RemoteStreams {
  readonly #serverInitiated: boolean;
  readonly #host: StreamHost;
  readonly #bidirectional: RemoteKind;
  readonly #unidirectional: RemoteKind;
  /** Control messages about streams whose SYN may have arrived but which the loop did not number yet. */
  readonly #pendingActions = new Map<number, PeerStreamAction[]>();
  #announceScheduled = false;

  /** `limits`: this side's Settings; `serverInitiated`: whether the peer is the server. */
  constructor(serverInitiated: boolean, limits: StreamLimits, host: StreamHost) {
    this.#serverInitiated = serverInitiated;
    this.#host = host;
    this.#bidirectional = new RemoteKind(StreamKind.Bidirectional, limits.maxBidirectionalStreams);
    this.#unidirectional = new RemoteKind(StreamKind.Unidirectional, limits.maxUnidirectionalStreams);
  }

  /**
   * Accepts the peer's data streams and hands each to `deliver`, until the session ends (rejects with its error)
   * or the peer breaks the protocol (rejects with the adapter's protocol error).
   */
  async acceptAll(session: YamuxSession, deliver: (stream: AdapterStream) => void): Promise<never> {
    for (;;) {
      const yamux = await session.acceptStream();
      // The kind byte comes with the SYN: it is nearly always there already.
      const first = yamux.tryRead() ?? (await this.#readFirstChunk(yamux));
      const kind = this.#kindOf(first[0]!, yamux.id);
      if (kind.unreleased >= kind.limit) {
        throw adapterProtocolError(
          `the peer opened more ${StreamKind[kind.kind].toLowerCase()} streams than the ${kind.limit} this side allows.`,
        );
      }
      kind.unreleased++;
      this.#announceIfDue(kind);
      const bidirectional = kind.kind === StreamKind.Bidirectional;
      const id = streamIdOf(kind.nextSequence++, bidirectional, this.#serverInitiated);
      const stream = new AdapterStream(id, bidirectional, this.#host, yamux, first.subarray(1));
      for (const action of this.#pendingActions.get(id) ?? []) {
        stream.receive(action);
      }
      this.#pendingActions.delete(id);
      deliver(stream);
    }
  }

  /**
   * A control message about a peer's stream of that kind and sequence that is not live: applied when the stream is
   * accepted if its SYN may still be on its way (within the limit), ignored if the stream is done. Throws the
   * adapter's protocol error for a stream the peer could not have opened.
   */
  receiveBeforeAccept(id: number, bidirectional: boolean, sequence: number, action: PeerStreamAction): void {
    const kind = bidirectional ? this.#bidirectional : this.#unidirectional;
    if (sequence < kind.nextSequence) {
      return; // done: nothing left to stop or reset
    }
    if (sequence >= kind.nextSequence + kind.limit - kind.unreleased) {
      throw adapterProtocolError(`received a control message about stream ${id}, which the peer cannot have opened.`);
    }
    const actions = this.#pendingActions.get(id);
    if (actions === undefined) {
      this.#pendingActions.set(id, [action]);
    } else if (!actions.includes(action)) {
      actions.push(action);
    }
  }

  /** This side is done with a stream of the peer: it leaves the peer's count. */
  release(bidirectional: boolean): void {
    const kind = bidirectional ? this.#bidirectional : this.#unidirectional;
    kind.unreleased--;
    kind.unannounced++;
    this.#announceIfDue(kind);
  }

  /** The peer counts `unreleased + unannounced` streams: announce once that is half its limit or more. */
  #announceIfDue(kind: RemoteKind): void {
    if (kind.unannounced > 0 && (kind.unreleased + kind.unannounced) * 2 >= kind.limit) {
      kind.announcing += kind.unannounced;
      kind.unannounced = 0;
      if (!this.#announceScheduled) {
        this.#announceScheduled = true;
        runSoon(this.#announce);
      }
    }
  }

  readonly #announce = (): void => {
    this.#announceScheduled = false;
    this.#host.sendControl({
      type: ControlMessageType.StreamsReleased,
      bidirectional: this.#bidirectional.announcing,
      unidirectional: this.#unidirectional.announcing,
    });
    this.#bidirectional.announcing = this.#unidirectional.announcing = 0;
  };

  /** The stream's first bytes, which come with its SYN and start with its kind byte. */
  async #readFirstChunk(yamux: YamuxStream): Promise<Uint8Array> {
    let first: Uint8Array | null;
    try {
      first = await yamux.read();
    } catch (error) {
      throw isRemoteReset(error)
        ? adapterProtocolError(`the peer reset yamux stream ${yamux.id} before sending its kind byte.`, error)
        : error;
    }
    if (first === null) {
      throw adapterProtocolError(`the peer ended yamux stream ${yamux.id} without sending its kind byte.`);
    }
    return first;
  }

  #kindOf(kindByte: number, yamuxId: number): RemoteKind {
    switch (kindByte) {
      case StreamKind.Bidirectional:
        return this.#bidirectional;
      case StreamKind.Unidirectional:
        return this.#unidirectional;
      default:
        throw adapterProtocolError(`yamux stream ${yamuxId} starts with ${kindByte}, which is not a stream kind.`);
    }
  }
}
