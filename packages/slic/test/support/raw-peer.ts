// A Slic connection facing a scripted peer: the test writes raw frames to the connection and reads, frame by frame
// and byte for byte, what it answers. The two meet over net-test-support's in-memory byte channel pair.
import type { MultiplexedConnectionOptions } from "@icerpc-ts/core/transport";
import { defaultMultiplexedConnectionOptions } from "@icerpc-ts/core/transport";
import { type MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "@icerpc-ts/net-test-support";
import { concatBytes, Deferred } from "@icerpc-ts/primitives";

import { type SlicOptions, SlicConnection, type SlicRole } from "../../src/index.js";
import { readVarUInt62, varUInt62Width } from "../../src/varuint62.js";
import { decodeFrames, type Frame, toHex } from "./frames.js";

export interface RawFrame extends Frame {
  /** The frame's bytes as they arrived. */
  readonly hex: string;
}

export interface RawPeerOptions {
  readonly options?: Partial<MultiplexedConnectionOptions>;
  readonly slicOptions?: SlicOptions;
  /** Options of the channel the connection writes to. */
  readonly connectionChannel?: MemoryChannelOptions;
}

export class RawPeer {
  /** The connection under test (not connected yet). */
  readonly connection: SlicConnection;
  /** The scripted peer's end of the channel. */
  readonly channel: MemoryChannel;
  /** The connection's end. */
  readonly connectionChannel: MemoryChannel;
  #received: Uint8Array = new Uint8Array(0);
  #ended = false;
  #changed = new Deferred<void>();

  /** `role` is the connection's role; the raw peer plays the other one. */
  constructor(role: SlicRole, options: RawPeerOptions = {}) {
    const [connectionChannel, channel] = memoryChannelPair(options.connectionChannel ?? {}, {});
    this.channel = channel;
    this.connectionChannel = connectionChannel;
    const information = {
      localNetworkAddress: { host: "local", port: 1 },
      remoteNetworkAddress: { host: "remote", port: 2 },
    };
    this.connection = new SlicConnection({
      role,
      source: {
        open: () => Promise.resolve({ channel: connectionChannel, information }),
        discard: () => connectionChannel.close(),
      },
      options: { ...defaultMultiplexedConnectionOptions, ...options.options },
      ...(options.slicOptions === undefined ? {} : { slicOptions: options.slicOptions }),
      label: "raw-peer test connection",
    });
    channel.start({
      data: (bytes) => {
        this.#received = concatBytes([this.#received, bytes]);
        this.#notify();
      },
      end: () => {
        this.#ended = true;
        this.#notify();
      },
      error: () => {
        this.#ended = true;
        this.#notify();
      },
    });
  }

  /** True once the connection ended or closed its channel and every byte it sent was read. */
  get endedAndDrained(): boolean {
    return this.#ended && this.#received.length === 0;
  }

  /** Sends `frames` to the connection, in one write. */
  send(...frames: Uint8Array[]): void {
    void this.channel.write(frames);
  }

  /** The next frame the connection sent; rejects when its channel ends first. */
  async nextFrame(): Promise<RawFrame> {
    for (;;) {
      const length = this.#wholeFrameLength();
      if (length !== undefined) {
        const bytes = this.#received.subarray(0, length);
        this.#received = this.#received.subarray(length);
        return { ...decodeFrames([bytes])[0]!, hex: toHex(bytes) };
      }
      if (this.#ended) {
        throw new Error(`The connection's channel ended; ${this.#received.length} bytes of a frame were left.`);
      }
      await this.#changed.promise;
    }
  }

  /** The next frames, as many as `count`. */
  async nextFrames(count: number): Promise<RawFrame[]> {
    const frames: RawFrame[] = [];
    while (frames.length < count) {
      frames.push(await this.nextFrame());
    }
    return frames;
  }

  /** Resolves once the connection's channel ended (FIN or close) after the bytes read so far. */
  async ended(): Promise<void> {
    while (!this.#ended || this.#received.length > 0) {
      if (this.#received.length > 0) {
        throw new Error(`The connection sent ${toHex(this.#received)} before the end.`);
      }
      await this.#changed.promise;
    }
  }

  #wholeFrameLength(): number | undefined {
    const bytes = this.#received;
    if (bytes.length < 2 || bytes.length < 1 + varUInt62Width(bytes[1]!)) {
      return undefined;
    }
    const length = 1 + varUInt62Width(bytes[1]!) + readVarUInt62(bytes, 1);
    return bytes.length >= length ? length : undefined;
  }

  #notify(): void {
    const changed = this.#changed;
    this.#changed = new Deferred<void>();
    changed.resolve();
  }
}
