import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { Deferred, Fifo } from "@icerpc-ts/primitives";
import { checkEcho, type Contender, type EchoClient } from "../contender.js";
import { startServerProcess, type ServerProcess } from "../server-process.js";
import { encodeFrame, FrameReader } from "./length-prefixed-frames.js";

/** The ceiling: one `node:net` connection, length-prefixed frames, replies matched to calls in order. */
export const rawSocket: Contender = {
  label: "raw node:net socket",
  kind: "raw",
  serverPlacement: "separate process",
  async start() {
    const server = await startServerProcess(new URL("./raw-socket-server.js", import.meta.url), []);
    try {
      const [host, port] = splitHostPort(server.address);
      const socket = connect({ host, port, noDelay: true });
      await once(socket, "connect");
      return new RawSocketClient(socket, server);
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};

class RawSocketClient implements EchoClient {
  readonly #socket: Socket;
  readonly #server: ServerProcess;
  readonly #reader = new FrameReader();
  /** Calls awaiting their reply; the server replies in order. */
  readonly #waiting = new Fifo<Deferred<Buffer>>();
  #failure: Error | undefined;

  constructor(socket: Socket, server: ServerProcess) {
    this.#socket = socket;
    this.#server = server;
    socket.on("data", (chunk: Buffer) => {
      let payloads: Buffer[];
      try {
        payloads = this.#reader.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
      for (const payload of payloads) {
        this.#waiting.shift()?.resolve(payload);
      }
    });
    socket.on("close", () => this.#fail(new Error("The raw socket closed.")));
    socket.on("error", (error) => this.#fail(error));
  }

  async call(payload: Uint8Array): Promise<void> {
    if (this.#failure !== undefined) {
      throw this.#failure;
    }
    const reply = new Deferred<Buffer>();
    this.#waiting.push(reply);
    this.#socket.write(encodeFrame(payload));
    checkEcho(payload, await reply.promise);
  }

  async close(): Promise<void> {
    this.#socket.destroy();
    await this.#server.stop();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const reply of this.#waiting.drain()) {
      reply.reject(this.#failure);
    }
  }
}

function splitHostPort(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}
