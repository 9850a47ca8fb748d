// A raw TCP client that speaks Slic by the bytes a test gives it, and splits what it receives into Slic frames.
import { connect, type Socket } from "node:net";

import type { TransportAddress } from "@icerpc-ts/core/transport";

export class RawTcpPeer {
  readonly #socket: Socket;
  #received = Buffer.alloc(0);
  #ended = false;
  #changed: () => void = () => {};

  static async connect(address: TransportAddress): Promise<RawTcpPeer> {
    const socket = connect({ host: address.host, port: address.port, allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new RawTcpPeer(socket);
  }

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (bytes: Buffer) => {
      this.#received = Buffer.concat([this.#received, bytes]);
      this.#changed();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#changed();
    });
  }

  send(hex: string): void {
    this.#socket.write(Buffer.from(hex, "hex"));
  }

  /** Ends this side's writes (TCP FIN). */
  end(): void {
    this.#socket.end();
  }

  /** The next whole Slic frame received, in hex; throws if the connection ends first. */
  async nextFrame(): Promise<string> {
    for (;;) {
      const length = this.#wholeFrameLength();
      if (length !== undefined) {
        const frame = this.#received.subarray(0, length);
        this.#received = this.#received.subarray(length);
        return frame.toString("hex");
      }
      if (this.#ended) {
        throw new Error(`The connection ended with ${this.#received.toString("hex") || "nothing"} left unread.`);
      }
      await new Promise<void>((resolve) => (this.#changed = resolve));
    }
  }

  /** Waits for the peer's FIN; throws if it sends anything before. */
  async ended(): Promise<void> {
    while (!this.#ended || this.#received.length > 0) {
      if (this.#received.length > 0) {
        throw new Error(`The connection sent ${this.#received.toString("hex")} before its end.`);
      }
      await new Promise<void>((resolve) => (this.#changed = resolve));
    }
  }

  dispose(): Promise<void> {
    this.#socket.destroy();
    return Promise.resolve();
  }

  /** A frame is its type (1 byte), its body size (a varuint62 of 1, 2, 4 or 8 bytes) and its body. */
  #wholeFrameLength(): number | undefined {
    const bytes = this.#received;
    if (bytes.length < 2) {
      return undefined;
    }
    const width = 1 << (bytes[1]! & 0b11);
    if (bytes.length < 1 + width) {
      return undefined;
    }
    let size = 0;
    for (let i = width - 1; i >= 0; i--) {
      size = size * 256 + bytes[1 + i]!;
    }
    const length = 1 + width + Math.floor(size / 4);
    return bytes.length >= length ? length : undefined;
  }
}
