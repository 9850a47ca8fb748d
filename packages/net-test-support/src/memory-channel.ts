// An in-memory byte channel pair for tests: ordered delivery as macrotasks (like socket reads), optional cutting
// of the delivered bytes at chosen boundaries, recording of everything written, backpressure, pause/resume, and
// fault injection (a direction that silently drops everything, a failure).
import { type ByteChannel, type ByteChannelReceiver, concatBytes } from "@icerpc-ts/primitives";

export interface MemoryChannelOptions {
  /** Cuts the bytes of each write into the chunks the peer receives; default: one chunk per write. */
  split?: (bytes: Uint8Array) => Uint8Array[];
  /** Undelivered bytes beyond which `write` pushes back; default 1 MiB. */
  highWaterMark?: number;
  /** Keep a copy of every byte written in `recorded`. */
  record?: boolean;
  /** Milliseconds each write takes to reach the peer (a simulated network delay; order is kept). */
  latency?: number;
  /** False for a channel that cannot pause its input (like a browser WebSocket): `pause` is then counted only. */
  pausable?: boolean;
}

type InboxItem = Uint8Array | { readonly end: true } | { readonly error: unknown };

export class MemoryChannel implements ByteChannel {
  /** Every byte written, when recording. */
  readonly recorded: Uint8Array[] = [];
  /** Counts `pause` calls (how often the session stopped its input). */
  pauseCount = 0;
  peer!: MemoryChannel;

  readonly #options: MemoryChannelOptions;
  #receiver: ByteChannelReceiver | undefined;
  readonly #inbox: InboxItem[] = [];
  #inboxBytes = 0;
  #deliveryScheduled = false;
  #paused = false;
  #ended = false;
  #closed = false;
  #dropping = false;
  /** Writers waiting for this side's inbox to go below the high-water mark. */
  #drainWaiters: (() => void)[] = [];

  constructor(options: MemoryChannelOptions = {}) {
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Bytes written to this side that it has not delivered yet. */
  get undeliveredBytes(): number {
    return this.#inboxBytes;
  }

  start(receiver: ByteChannelReceiver): void {
    this.#receiver = receiver;
    this.#scheduleDelivery();
  }

  write(chunks: readonly Uint8Array[]): Promise<void> | void {
    if (this.#closed || this.#ended) {
      return;
    }
    // Join into a fresh buffer, as a network does: the receiver never sees the sender's memory.
    const bytes = concatBytes(chunks);
    if (this.#options.record) {
      this.recorded.push(bytes);
    }
    if (this.#dropping) {
      return;
    }
    this.#send(this.#options.split?.(bytes) ?? [bytes]);
    return this.peer.#backpressure(this.#options.highWaterMark ?? 1024 * 1024);
  }

  end(): void {
    if (!this.#ended && !this.#closed) {
      this.#ended = true;
      if (!this.#dropping) {
        this.#send([{ end: true }]);
      }
    }
  }

  close(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#inbox.length = 0;
      this.#inboxBytes = 0;
      this.#releaseWriters();
      if (!this.#ended && !this.#dropping) {
        this.#ended = true;
        this.#send([{ end: true }]);
      }
    }
  }

  pause(): void {
    this.pauseCount++;
    this.#paused = this.#options.pausable ?? true;
  }

  resume(): void {
    this.#paused = false;
    this.#scheduleDelivery();
  }

  /** From now on, what this side writes vanishes: a dead network or a peer that stopped reading forever. */
  dropWrites(): void {
    this.#dropping = true;
  }

  /** Makes the peer's channel fail as a reset socket would. */
  failPeer(reason: unknown): void {
    this.#send([{ error: reason }]);
  }

  /** Hands `items` to the peer, after the latency if there is one. */
  #send(items: InboxItem[]): void {
    const latency = this.#options.latency;
    if (latency === undefined) {
      items.forEach((item) => this.peer.#enqueue(item));
    } else {
      setTimeout(() => items.forEach((item) => this.peer.#enqueue(item)), latency);
    }
  }

  #enqueue(item: InboxItem): void {
    if (this.#closed) {
      return;
    }
    this.#inbox.push(item);
    if (item instanceof Uint8Array) {
      this.#inboxBytes += item.length;
    }
    this.#scheduleDelivery();
  }

  #backpressure(highWaterMark: number): Promise<void> | void {
    if (this.#inboxBytes <= highWaterMark || this.#closed) {
      return;
    }
    return new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
  }

  #scheduleDelivery(): void {
    if (!this.#deliveryScheduled && this.#receiver !== undefined) {
      this.#deliveryScheduled = true;
      setImmediate(() => this.#deliver());
    }
  }

  #deliver(): void {
    this.#deliveryScheduled = false;
    const receiver = this.#receiver!;
    while (!this.#paused && !this.#closed && this.#inbox.length > 0) {
      const item = this.#inbox.shift()!;
      if (item instanceof Uint8Array) {
        this.#inboxBytes -= item.length;
        receiver.data(item);
      } else if ("end" in item) {
        receiver.end();
      } else {
        receiver.error(item.error);
      }
    }
    if (this.#inboxBytes <= (this.peer.#options.highWaterMark ?? 1024 * 1024)) {
      this.#releaseWriters();
    }
  }

  #releaseWriters(): void {
    for (const resolve of this.#drainWaiters.splice(0)) {
      resolve();
    }
  }
}

/** Two connected channels: what one writes, the other receives. Options apply to the bytes each side writes. */
export function memoryChannelPair(
  first: MemoryChannelOptions = {},
  second: MemoryChannelOptions = {},
): [MemoryChannel, MemoryChannel] {
  const a = new MemoryChannel(first);
  const b = new MemoryChannel(second);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
