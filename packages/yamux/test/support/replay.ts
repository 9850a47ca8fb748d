// Replaying captured yamux byte streams into a fresh session, cut into chunks any way, and summarizing what the
// session made of them in a form that must not depend on the cutting.
import { concatBytes } from "@icerpc-ts/primitives";

import {
  type ByteChannel,
  type ByteChannelReceiver,
  type YamuxRole,
  YamuxSession,
  type YamuxStream,
  YamuxError,
} from "../../src/index.js";
import { FrameType, decodeFrames, digest } from "./frames.js";

/** A channel the test drives by hand: it hands the session's receiver out and records what the session writes. */
class ReplayChannel implements ByteChannel {
  receiver!: ByteChannelReceiver;
  readonly written: Uint8Array[] = [];
  start(receiver: ByteChannelReceiver): void {
    this.receiver = receiver;
  }
  write(chunks: readonly Uint8Array[]): void {
    this.written.push(concatBytes(chunks));
  }
  end(): void {}
  close(): void {}
  pause(): void {}
  resume(): void {}
}

/**
 * Feeds `chunks` (then the end of the channel) to a new session of `role` that first opens `localStreams` streams,
 * as the original session had, and whose application accepts every stream and reads every stream to its end.
 * Returns one line per fact: each stream's data and how it ended, the session's error, and the session frames and
 * stream flags the session sent back (not its WindowUpdate deltas, which follow the pace of the reads).
 */
export async function replay(role: YamuxRole, localStreams: number, chunks: readonly Uint8Array[]): Promise<string[]> {
  const channel = new ReplayChannel();
  // Without window growth, which follows the round trip: the frames sent depend on the bytes alone.
  const session = new YamuxSession(channel, role, { keepAliveInterval: 0, maxWindowGrowth: 0 });
  const reads: Promise<string>[] = [];
  const readStream = async (stream: YamuxStream): Promise<string> => {
    const pieces: Uint8Array[] = [];
    let end: string;
    try {
      for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
        pieces.push(chunk);
      }
      end = "fin";
    } catch (error) {
      end = error instanceof YamuxError ? `error ${error.code}` : String(error);
    }
    // Data read before a failure depends on when the application read it (a reset discards unread data): only
    // data completed by a FIN is a fact of the byte stream.
    const data = end === "fin" ? digest(concatBytes(pieces)) : "-";
    return `stream ${stream.id} ${stream.isLocal ? "local" : "remote"}: ${data} ${end}`;
  };
  for (let i = 0; i < localStreams; i++) {
    reads.push(readStream(await session.openStream()));
  }
  const accepting = (async () => {
    for (;;) {
      try {
        reads.push(readStream(await session.acceptStream()));
      } catch {
        return;
      }
    }
  })();
  // Let the application keep up (read and so grant credit) at least every 4 KiB, as it would on a real channel.
  let sinceYield = 0;
  for (const chunk of chunks) {
    channel.receiver.data(chunk);
    sinceYield += chunk.length;
    if (sinceYield >= 4096) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await new Promise((resolve) => setImmediate(resolve)); // let the application accept what arrived last
  channel.receiver.end();
  const error = await session.closed;
  await accepting;
  const streams = (await Promise.all(reads)).sort();
  const sent = decodeFrames(channel.written)
    .filter((f) => f.type !== FrameType.WindowUpdate || f.flags !== 0)
    .map((f) => `sent ${FrameType[f.type]} flags=${f.flags} stream=${f.streamId}` +
      (f.type === FrameType.WindowUpdate ? "" : ` length=${f.length}`))
    .sort();
  return [
    ...streams,
    `session: error ${error.code} ${error.message}; remote GoAway ${session.remoteGoAwayCode}`,
    ...sent,
  ];
}
