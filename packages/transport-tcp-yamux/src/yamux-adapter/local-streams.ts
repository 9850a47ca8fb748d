import { AsyncSemaphore, Fifo } from "@icerpc-ts/primitives";
import type { YamuxSession, YamuxStream } from "@icerpc-ts/yamux";

import { AdapterStream, type StreamHost } from "./adapter-stream.js";
import { adapterProtocolError } from "./protocol-error.js";
import { StreamKind, streamIdOf } from "./stream-id.js";

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
 * The streams this side creates: their slots in the peer's limits, their ids, and their opening on the wire. A
 * stream gets its id and slot when created and goes on the wire lazily, with the first thing sent on it, after
 * every earlier stream of its kind: the yamux streams of one kind are opened in id order, so the peer, numbering
 * them in the order their SYNs arrive, gives them the same ids.
 */
export class LocalStreams {
  readonly #session: YamuxSession;
  readonly #serverInitiated: boolean;
  readonly #bidirectional: LocalKind;
  readonly #unidirectional: LocalKind;
  /** The streams not done yet, by id. */
  readonly #streams = new Map<number, AdapterStream>();
  /** Openings run one after the other, so that yamux assigns their ids in this order. */
  #openings: Promise<void> = Promise.resolve();
  /** Openings queued on `#openings` and not done yet: while there are any, a new opening waits its turn. */
  #pendingOpenings = 0;

  /** `peerLimits`: what the peer's Settings allow. */
  constructor(
    session: YamuxSession,
    serverInitiated: boolean,
    peerLimits: { readonly maxBidirectionalStreams: number; readonly maxUnidirectionalStreams: number },
  ) {
    this.#session = session;
    this.#serverInitiated = serverInitiated;
    this.#bidirectional = new LocalKind(StreamKind.Bidirectional, peerLimits.maxBidirectionalStreams);
    this.#unidirectional = new LocalKind(StreamKind.Unidirectional, peerLimits.maxUnidirectionalStreams);
  }

  /** The streams not done yet. */
  get streams(): Iterable<AdapterStream> {
    return this.#streams.values();
  }

  /** Takes a free slot of the peer's limit for that kind, if there is one; `create` then uses it. */
  tryAcquireSlot(bidirectional: boolean): boolean {
    return this.#kindOf(bidirectional).slots.tryAcquire();
  }

  /** Waits (FIFO, `signal`-abortable) for a slot of the peer's limit for that kind; `create` then uses it. */
  acquireSlot(bidirectional: boolean, signal: AbortSignal | undefined): Promise<void> {
    return this.#kindOf(bidirectional).slots.acquire(signal);
  }

  /** Creates a stream with the next id of its kind, in the slot `acquireSlot` got. */
  create(bidirectional: boolean, host: StreamHost): AdapterStream {
    const kind = this.#kindOf(bidirectional);
    const id = streamIdOf(kind.created++, bidirectional, this.#serverInitiated);
    const stream = AdapterStream.createLocal(id, bidirectional, host);
    this.#streams.set(id, stream);
    kind.unopened.push(stream);
    return stream;
  }

  /** Opens `stream` on the wire, and before it every stream of its kind created earlier and not opened yet. */
  open(stream: AdapterStream): void {
    const kind = this.#kindOf(stream.isBidirectional);
    for (;;) {
      const next = kind.unopened.shift();
      if (next === undefined) {
        return;
      }
      // At once when no opening is queued and yamux can open without waiting (the common case); else in turn.
      const yamux = this.#pendingOpenings === 0 ? this.#session.tryOpenStream() : undefined;
      if (yamux !== undefined) {
        this.#attach(next, kind, yamux);
      } else {
        this.#pendingOpenings++;
        this.#openings = this.#openings.then(() => this.#openOne(next, kind));
      }
      if (next === stream) {
        return;
      }
    }
  }

  /** The stream `id` if it is not done yet; undefined for a done stream and for one never created. */
  get(id: number): AdapterStream | undefined {
    return this.#streams.get(id);
  }

  /** True when this side created a stream of that kind and sequence. */
  wasCreated(bidirectional: boolean, sequence: number): boolean {
    return sequence < this.#kindOf(bidirectional).created;
  }

  /** Every half of `stream` is done on this side. */
  forget(stream: AdapterStream): void {
    this.#streams.delete(stream.id);
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

  async #openOne(stream: AdapterStream, kind: LocalKind): Promise<void> {
    let yamux;
    try {
      yamux = await this.#session.openStream();
    } catch (error) {
      stream.openFailed(error);
      return;
    } finally {
      this.#pendingOpenings--;
    }
    this.#attach(stream, kind, yamux);
  }

  #attach(stream: AdapterStream, kind: LocalKind, yamux: YamuxStream): void {
    kind.unreleased++;
    // Written in the same task as the opening: the kind byte rides on the SYN frame.
    stream.attach(yamux, yamux.write(kindBytes[kind.kind]!));
  }

  #kindOf(bidirectional: boolean): LocalKind {
    return bidirectional ? this.#bidirectional : this.#unidirectional;
  }
}
