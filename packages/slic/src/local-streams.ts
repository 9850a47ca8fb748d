import { streamIdOf } from "@icerpc-ts/core/transport-helpers";
import { AsyncSemaphore } from "@icerpc-ts/primitives";

import type { SlicStream } from "./slic-stream.js";

/** A local stream the peer has not heard of yet, and the frames it waits to send. */
interface Unannounced {
  readonly stream: SlicStream;
  readonly held: Uint8Array[];
  /** `held` carries data or StreamLast: the stream opens for real on the peer. */
  opening: boolean;
  /** Both directions closed without anything sent but closures: nobody needs this stream on the peer. */
  abandoned: boolean;
}

/** The local streams of one type: their ids, their slots in the peer's limit, and the order they reach the peer. */
class LocalStreamsOfType {
  readonly slots: AsyncSemaphore;
  /** The id the next stream gets. */
  nextId: number;
  /** The streams created and not announced yet, in id order. */
  readonly unannounced: Unannounced[] = [];
  /** Every local id below this one was announced (or rolled back): the peer may refer to it. */
  announcedBelow: number;

  constructor(firstId: number, peerLimit: number) {
    this.slots = new AsyncSemaphore(peerLimit);
    this.nextId = firstId;
    this.announcedBelow = firstId;
  }
}

/**
 * The streams this side creates. A stream gets its id when it is created, in creation order, as the contract says;
 * but the peer learns of a stream with its first frame and requires the streams of a type to arrive in id order
 * (IceRPC C# assigns ids at the first write instead, and so never has to wait). So a stream's frames wait until
 * every earlier stream of its type reached the peer; the flush that produced them does not wait, since their
 * credit is spent already and the window bounds what waits.
 *
 * A stream abandoned before sending anything (created, then both directions aborted: a canceled invocation) would
 * hold up the streams after it. When it is the last one created, its id is simply given to the next stream, as C#
 * would; otherwise it reaches the peer with its closing frames only, which icerpc-ts accepts as the opening of a
 * stream and IceRPC C# rejects (C# never sends them: see the README).
 */
export class LocalStreams {
  readonly #enqueue: (chunks: readonly Uint8Array[]) => void;
  readonly #bidirectional: LocalStreamsOfType;
  readonly #unidirectional: LocalStreamsOfType;
  readonly #unannounced = new Map<SlicStream, Unannounced>();

  /** `enqueue` hands frames to the writer; the peer's limits size the slots. */
  constructor(
    isServer: boolean,
    peerLimits: { maxBidirectionalStreams: number; maxUnidirectionalStreams: number },
    enqueue: (chunks: readonly Uint8Array[]) => void,
  ) {
    this.#enqueue = enqueue;
    this.#bidirectional = new LocalStreamsOfType(streamIdOf(0, true, isServer), peerLimits.maxBidirectionalStreams);
    this.#unidirectional = new LocalStreamsOfType(streamIdOf(0, false, isServer), peerLimits.maxUnidirectionalStreams);
  }

  slots(bidirectional: boolean): AsyncSemaphore {
    return this.#ofType(bidirectional).slots;
  }

  /** The id of the next stream of this type, which the caller creates at once with {@link created}. */
  nextId(bidirectional: boolean): number {
    return this.#ofType(bidirectional).nextId;
  }

  created(stream: SlicStream): void {
    const ofType = this.#ofType(stream.isBidirectional);
    ofType.nextId += 4;
    const entry: Unannounced = { stream, held: [], opening: false, abandoned: false };
    ofType.unannounced.push(entry);
    this.#unannounced.set(stream, entry);
  }

  /** Whether the peer may send frames for local stream `id`: it was announced. */
  wasAnnounced(id: number, bidirectional: boolean): boolean {
    return id < this.#ofType(bidirectional).announcedBelow;
  }

  /** Sends `chunks`, frames of `stream`; `opening` when they carry data or StreamLast. */
  send(stream: SlicStream, chunks: readonly Uint8Array[], opening: boolean): void {
    const entry = this.#unannounced.get(stream);
    if (entry === undefined) {
      this.#enqueue(chunks);
      return;
    }
    entry.held.push(...chunks);
    entry.opening ||= opening;
    this.#announceReady(this.#ofType(stream.isBidirectional));
  }

  /**
   * `stream` closed both ways. If it never reached the peer and is the last stream of its type, its id goes to the
   * next stream and nothing is sent; returns true then.
   */
  closed(stream: SlicStream): boolean {
    const entry = this.#unannounced.get(stream);
    if (entry === undefined) {
      return false;
    }
    const ofType = this.#ofType(stream.isBidirectional);
    if (!entry.opening) {
      entry.abandoned = true;
    }
    let rolledBack = false;
    for (let last = ofType.unannounced.at(-1); last?.abandoned === true; last = ofType.unannounced.at(-1)) {
      ofType.unannounced.pop();
      this.#unannounced.delete(last.stream);
      ofType.nextId -= 4;
      rolledBack ||= last === entry;
    }
    this.#announceReady(ofType);
    return rolledBack;
  }

  /** Sends the frames of the streams at the head of the line whose turn it is. */
  #announceReady(ofType: LocalStreamsOfType): void {
    const line = ofType.unannounced;
    while (line.length > 0) {
      const head = line[0]!;
      // An abandoned stream goes only to let a later stream through.
      const goes = head.opening || (head.abandoned && line.some((entry) => entry.opening));
      if (!goes) {
        return;
      }
      line.shift();
      this.#unannounced.delete(head.stream);
      ofType.announcedBelow = head.stream.id + 1;
      this.#enqueue(head.held);
    }
    ofType.announcedBelow = ofType.nextId;
  }

  #ofType(bidirectional: boolean): LocalStreamsOfType {
    return bidirectional ? this.#bidirectional : this.#unidirectional;
  }
}
