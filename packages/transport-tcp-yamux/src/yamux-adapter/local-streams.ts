import type { StreamLimits } from "@icerpc-ts/core/transport";
import { streamIdOf } from "@icerpc-ts/core/transport-helpers";
import { AsyncSemaphore, Fifo } from "@icerpc-ts/primitives";
import type { YamuxSession } from "@icerpc-ts/yamux";

import { AdapterStream, type StreamHost } from "./adapter-stream.js";
import { adapterProtocolError } from "./protocol-error.js";
import { StreamKind } from "./stream-kind.js";

/** The kind byte that starts each stream, by kind (yamux never modifies what it writes: one array serves all). */
const kindBytes: readonly Uint8Array[] = [
  Uint8Array.of(StreamKind.Bidirectional),
  Uint8Array.of(StreamKind.Unidirectional),
];

/** Per-kind counters of the streams this side creates. */
class LocalKind {
  readonly kind: StreamKind;
  /** The peer's limit for this kind: a slot per stream not released yet. */
  readonly slots: AsyncSemaphore;
  /** Created streams not on the wire yet, in id order. */
  readonly unopened = new Fifo<AdapterStream>();
  created = 0;
  /** Streams on the wire and not released by the peer yet. */
  unreleased = 0;

  constructor(kind: StreamKind, limit: number) {
    this.kind = kind;
    this.slots = new AsyncSemaphore(limit);
  }
}

/**
 * The streams this side creates: their slots in the peer's limits, their ids, and their opening on the wire in id
 * order per kind, so that the peer, numbering them in the order their SYNs arrive, gives them the same ids (the
 * package README's "QUIC ids").
 */
export class LocalStreams {
  readonly #session: YamuxSession;
  readonly #serverInitiated: boolean;
  readonly #bidirectional: LocalKind;
  readonly #unidirectional: LocalKind;

  /** `peerLimits`: what the peer's Settings allow. */
  constructor(session: YamuxSession, serverInitiated: boolean, peerLimits: StreamLimits) {
    this.#session = session;
    this.#serverInitiated = serverInitiated;
    this.#bidirectional = new LocalKind(StreamKind.Bidirectional, peerLimits.maxBidirectionalStreams);
    this.#unidirectional = new LocalKind(StreamKind.Unidirectional, peerLimits.maxUnidirectionalStreams);
  }

  /** The peer's limit for that kind: a slot per stream not released yet; `create` uses one. */
  slots(bidirectional: boolean): AsyncSemaphore {
    return this.#kindOf(bidirectional).slots;
  }

  /** Creates a stream with the next id of its kind, in the slot `acquireSlot` got. */
  create(bidirectional: boolean, host: StreamHost): AdapterStream {
    const kind = this.#kindOf(bidirectional);
    const id = streamIdOf(kind.created++, bidirectional, this.#serverInitiated);
    const stream = new AdapterStream(id, bidirectional, host);
    kind.unopened.push(stream);
    return stream;
  }

  /** Opens `stream` on the wire, and before it every stream of its kind created earlier and not opened yet. */
  open(stream: AdapterStream): void {
    const kind = this.#kindOf(stream.isBidirectional);
    for (let next = kind.unopened.shift(); next !== undefined; next = kind.unopened.shift()) {
      try {
        // Never undefined: the adapter lifts yamux's limit of streams awaiting their ACK.
        const yamux = this.#session.tryOpenStream()!;
        kind.unreleased++;
        // Written in the same task as the opening: the kind byte rides on the SYN frame.
        next.attach(yamux, yamux.write(kindBytes[kind.kind]!));
      } catch (error) {
        next.openFailed(error); // the session ended, the peer sent GoAway, or the ids are used up
      }
      if (next === stream) {
        return;
      }
    }
  }

  /** True when this side created a stream of that kind and sequence. */
  wasCreated(bidirectional: boolean, sequence: number): boolean {
    return sequence < this.#kindOf(bidirectional).created;
  }

  /** The peer is done with `count` more streams of the kind: frees their slots. Throws if it never got that many. */
  released(bidirectional: boolean, count: number): void {
    const kind = this.#kindOf(bidirectional);
    if (count > kind.unreleased) {
      throw adapterProtocolError(
        `the peer released ${count} ${StreamKind[kind.kind].toLowerCase()} streams, but only ${kind.unreleased} ` +
          "of this side's streams of that kind are open on the wire.",
      );
    }
    kind.unreleased -= count;
    kind.slots.release(count);
  }

  /** Fails pending and later creations with `error`. */
  fail(error: unknown): void {
    this.#bidirectional.slots.fail(error);
    this.#unidirectional.slots.fail(error);
  }

  #kindOf(bidirectional: boolean): LocalKind {
    return bidirectional ? this.#bidirectional : this.#unidirectional;
  }
}
