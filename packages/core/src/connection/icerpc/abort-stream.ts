import type { MultiplexedStream } from "../../transport/multiplexed-stream.js";

/** Aborts whichever directions `stream` has on this side: its reader fails, its writer sees writes closed. */
export function abortStream(stream: MultiplexedStream): void {
  if (stream.isBidirectional || !stream.isRemote) {
    stream.output.abort();
  }
  if (stream.isBidirectional || stream.isRemote) {
    stream.input.abort();
  }
}
