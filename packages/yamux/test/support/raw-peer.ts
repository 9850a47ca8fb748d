// A session facing a scripted peer: the test writes raw bytes to the session and inspects the frames it answers.
import { type MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "@icerpc-ts/net-test-support";

import { type YamuxRole, YamuxSession, type YamuxSessionOptions } from "../../src/index.js";
import { Flag, type Frame, FrameType, decodeFrames, frame } from "./frames.js";
import { track } from "./sessions.js";

export class RawPeer {
  readonly session: YamuxSession;
  /** The session's channel. */
  readonly sessionChannel: MemoryChannel;
  /** The scripted peer's channel. */
  readonly channel: MemoryChannel;
  /** Whether the session ended its side of the channel. */
  ended = false;
  readonly #received: Uint8Array[] = [];
  #syncs = 0;
  /** How many of the session's Pings were answered, once `answerPings` was called; undefined before. */
  #pingsAnswered: number | undefined;
  #waiters: { predicate: (frames: Frame[]) => boolean; resolve: (frames: Frame[]) => void }[] = [];

  constructor(role: YamuxRole, options: YamuxSessionOptions = {}, channelOptions: MemoryChannelOptions = {}) {
    const [sessionChannel, channel] = memoryChannelPair(channelOptions, {});
    this.sessionChannel = sessionChannel;
    this.channel = channel;
    channel.start({
      data: (bytes) => {
        this.#received.push(bytes);
        this.#answerPings();
        this.#check();
      },
      end: () => {
        this.ended = true;
        this.#check();
      },
      error: () => {},
    });
    this.session = track(new YamuxSession(sessionChannel, role, { keepAliveInterval: 0, ...options }));
  }

  /** Sends raw bytes to the session. */
  send(...chunks: Uint8Array[]): void {
    void this.channel.write(chunks);
  }

  /** Every frame the session sent so far. */
  frames(): Frame[] {
    return decodeFrames(this.#received);
  }

  /** Resolves with the frames received so far once `predicate` holds for them. */
  waitFor(predicate: (frames: Frame[]) => boolean): Promise<Frame[]> {
    return new Promise((resolve) => {
      this.#waiters.push({ predicate, resolve });
      this.#check();
    });
  }

  /** Resolves with the frames once one matches `predicate`. */
  waitForFrame(predicate: (frame: Frame) => boolean): Promise<Frame> {
    return this.waitFor((frames) => frames.some(predicate)).then((frames) => frames.find(predicate)!);
  }

  /**
   * Sends a Ping and waits for its answer: the session has then processed everything sent before and flushed
   * what it could send.
   */
  async sync(): Promise<void> {
    const id = 0x5000_0000 + this.#syncs++;
    this.send(frame(FrameType.Ping, Flag.Syn, 0, id));
    await this.waitForFrame((f) => f.type === FrameType.Ping && f.flags === Flag.Ack && f.length === id);
  }

  /**
   * From now on, answers every Ping the session sends, as a yamux peer does: the session then knows the round trip
   * (what it grows its windows by).
   */
  answerPings(): void {
    this.#pingsAnswered ??= 0;
    this.#answerPings();
  }

  #answerPings(): void {
    if (this.#pingsAnswered === undefined) {
      return;
    }
    const pings = this.frames().filter((f) => f.type === FrameType.Ping && f.flags === Flag.Syn);
    for (const ping of pings.slice(this.#pingsAnswered)) {
      this.send(frame(FrameType.Ping, Flag.Ack, 0, ping.length));
    }
    this.#pingsAnswered = pings.length;
  }

  /** Resolves once the session ended the channel; returns every frame it sent. */
  async waitForEnd(): Promise<Frame[]> {
    return this.waitFor(() => this.ended);
  }

  #check(): void {
    if (this.#waiters.length === 0) {
      return;
    }
    const frames = this.frames();
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.predicate(frames)) {
        waiter.resolve(frames);
        return false;
      }
      return true;
    });
  }
}
