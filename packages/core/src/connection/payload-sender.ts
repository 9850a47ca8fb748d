import type { OutgoingPayload } from "../protocol/payload.js";
import type { FlushResult, StreamOutput } from "../transport/multiplexed-stream.js";

/**
 * Writes `header` then `payload`, and ends the stream when `endStream` (otherwise a continuation follows). A payload
 * in memory goes out with the header in one flush. An iterable payload is flushed chunk by chunk, which applies the
 * transport's backpressure to whoever produces the chunks, and is closed early if the peer stops reading.
 */
export async function sendPayload(
  output: StreamOutput,
  header: Uint8Array,
  payload: OutgoingPayload,
  endStream: boolean,
  signal?: AbortSignal,
): Promise<FlushResult> {
  output.write(header);
  if (payload instanceof Uint8Array) {
    output.write(payload);
    return endStream ? output.end(signal) : output.flush(signal);
  }
  const result = await writeChunks(output, payload, signal);
  return result === "flushed" && endStream ? output.end(signal) : result;
}

/** Copies a payload continuation, then ends the stream. */
export async function sendContinuation(
  output: StreamOutput,
  continuation: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
): Promise<FlushResult> {
  const result = await writeChunks(output, continuation, signal);
  return result === "flushed" ? output.end(signal) : result;
}

async function writeChunks(
  output: StreamOutput,
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): Promise<FlushResult> {
  // Leaving the loop early (return or throw) closes the iterator, so the producer always learns the send stopped.
  for await (const chunk of chunks) {
    output.write(chunk);
    if ((await output.flush(signal)) === "writesClosed") {
      return "writesClosed";
    }
  }
  return "flushed";
}
