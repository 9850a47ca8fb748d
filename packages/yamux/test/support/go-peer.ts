// Building and running the hashicorp/yamux peer (interop/peer.go) for the interoperability tests.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { connectLoopback, listenLoopback } from "@icerpc-ts/net-test-support";
import { SocketChannel } from "@icerpc-ts/primitives";
import {
  type ByteChannel,
  type ByteChannelReceiver,
  YamuxSession,
  type YamuxSessionOptions,
} from "../../src/index.js";
import { decode, readAll, text } from "./sessions.js";

const installHint =
  "install Go and the reference implementation with " +
  "`apt-get update && apt-get install -y golang-go golang-github-hashicorp-yamux-dev`";

const yamuxSource = "/usr/share/gocode/src/github.com/hashicorp/yamux";
const interopDirectory = fileURLToPath(new URL("../../interop/", import.meta.url));

/** Builds interop/peer.go against Debian's hashicorp/yamux, offline; returns the binary's path. */
export function buildGoPeer(): string {
  const version = spawnSync("go", ["version"], { encoding: "utf8" });
  if (version.error !== undefined) {
    throw new Error(
      `The yamux interop tests need the go command, which failed (${version.error.message}): ${installHint}.`,
    );
  }
  if (!existsSync(join(yamuxSource, "session.go"))) {
    throw new Error(`The yamux interop tests need the hashicorp/yamux source in ${yamuxSource}: ${installHint}.`);
  }
  const binary = join(mkdtempSync(join(tmpdir(), "yamux-peer-")), "yamux-peer");
  const build = spawnSync("go", ["build", "-o", binary, "."], {
    cwd: interopDirectory,
    encoding: "utf8",
    timeout: 300_000,
    env: {
      ...process.env,
      GO111MODULE: "on",
      GOFLAGS: "-mod=mod",
      GOPROXY: "off", // the replace directive points at the Debian sources: nothing to download
      GOCACHE: process.env.GOCACHE ?? join(tmpdir(), "icerpc-ts-yamux-gocache"),
    },
  });
  if (build.status !== 0) {
    const reason = build.error?.message ?? `exit code ${build.status}`;
    throw new Error(`go build of ${interopDirectory}peer.go failed (${reason}):\n${build.stderr}`);
  }
  return binary;
}

/** A channel that records what it receives, to replay it later. */
export class RecordingChannel implements ByteChannel {
  readonly received: Uint8Array[] = [];
  readonly #inner: ByteChannel;
  constructor(inner: ByteChannel) {
    this.#inner = inner;
  }
  start(receiver: ByteChannelReceiver): void {
    this.#inner.start({
      data: (bytes) => {
        this.received.push(new Uint8Array(bytes));
        receiver.data(bytes);
      },
      end: () => receiver.end(),
      error: (reason) => receiver.error(reason),
    });
  }
  write(chunks: readonly Uint8Array[]): Promise<void> | void {
    return this.#inner.write(chunks);
  }
  end(): void {
    this.#inner.end();
  }
  close(): void {
    this.#inner.close();
  }
  pause(): void {
    this.#inner.pause();
  }
  resume(): void {
    this.#inner.resume();
  }
}

/** Where the Go program runs: as the yamux server (it listens) or the client (it dials). */
export type GoRole = "server" | "client";

/** A running Go peer and the TypeScript session connected to it. */
export class GoPeer {
  readonly session: YamuxSession;
  readonly channel: RecordingChannel;
  /** Resolves with the exit code once the Go process exited. */
  readonly exited: Promise<number | null>;
  readonly #process: ChildProcess;
  #stderr = "";
  #stdout = "";
  /** The echoes `echoIncoming` started, each settled once its FIN was handed to the channel (or it failed). */
  readonly #echoes: Promise<void>[] = [];

  private constructor(process: ChildProcess, channel: RecordingChannel, session: YamuxSession) {
    this.#process = process;
    this.channel = channel;
    this.session = session;
    process.stderr!.on("data", (bytes: Buffer) => (this.#stderr += bytes.toString()));
    this.exited = new Promise((resolve) => process.on("exit", (code) => resolve(code)));
  }

  /** What the Go process wrote to its standard output and error so far. */
  get output(): string {
    return this.#stdout + this.#stderr;
  }

  /**
   * Starts the Go peer as `goRole` with extra `args` and connects it over loopback TCP to a TypeScript session of
   * the other role.
   */
  static async start(
    binary: string,
    goRole: GoRole,
    args: string[] = [],
    options: YamuxSessionOptions = {},
  ): Promise<GoPeer> {
    let child: ChildProcess;
    let socketPromise: Promise<Socket>;
    let stdout = "";
    if (goRole === "server") {
      child = spawn(binary, ["-role", "server", ...args], { stdio: ["ignore", "pipe", "pipe"] });
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.on("data", (bytes: Buffer) => {
          stdout += bytes.toString();
          const match = /listening (\d+)/.exec(stdout);
          if (match) {
            resolve(Number(match[1]));
          }
        });
        child.on("exit", (code) => reject(new Error(`The Go peer exited (${code}) before listening: ${stdout}`)));
      });
      socketPromise = connectLoopback(port);
    } else {
      const listener = await listenLoopback();
      child = spawn(binary, ["-role", "client", "-addr", `127.0.0.1:${listener.port}`, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", (bytes: Buffer) => (stdout += bytes.toString()));
      socketPromise = listener.nextSocket().finally(() => listener.server.close());
    }
    const socket = await socketPromise;
    socket.setNoDelay(true);
    const channel = new RecordingChannel(new SocketChannel(socket));
    const session = new YamuxSession(channel, goRole === "server" ? "client" : "server", options);
    const peer = new GoPeer(child, channel, session);
    child.stdout!.on("data", (bytes: Buffer) => (peer.#stdout += bytes.toString()));
    peer.#stdout = stdout;
    return peer;
  }

  /** Echoes every stream the Go peer opens, until the session ends. */
  echoIncoming(): void {
    void (async () => {
      for (;;) {
        let stream;
        try {
          stream = await this.session.acceptStream();
        } catch {
          return;
        }
        this.#echoes.push(
          (async () => {
            for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
              await stream.write(chunk);
            }
            await stream.end();
          })().catch(() => {}),
        );
      }
    })();
  }

  /**
   * Resolves once every echo started so far has ended its stream: the FINs are on their way, ahead of anything sent
   * after, so that the Go side has closed those streams when it reads the next command.
   */
  async echoesEnded(): Promise<void> {
    await Promise.all(this.#echoes);
  }

  /** Sends a command line and `body` on a new stream, then FIN, and returns the reply. */
  async request(line: string, body?: Uint8Array): Promise<Uint8Array> {
    const stream = await this.session.openStream();
    void stream.write(text(`${line}\n`));
    if (body !== undefined) {
      void stream.write(body);
    }
    void stream.end();
    return readAll(stream);
  }

  /** Like `request`, with the reply as trimmed text. */
  async command(line: string, body?: Uint8Array): Promise<string> {
    return decode(await this.request(line, body)).trim();
  }

  kill(): void {
    if (this.#process.exitCode === null) {
      this.#process.kill();
    }
    this.session.dispose();
  }
}

/** The byte at `offset` of what the Go peer's "source" command sends for `seed`. */
export function goPattern(offset: number, seed: number): number {
  return (offset * 7 + Math.floor(offset / 251) + seed) & 0xff;
}
