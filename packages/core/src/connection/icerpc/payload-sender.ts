import type { OutgoingPayload } from "../../protocol/payload.js";
import type { FlushResult, MultiplexedStream } from "../../transport/multiplexed-stream.js";

/**
 * Writes `header` then `payload` on `stream`, and ends the stream when `endStream` (otherwise a continuation
 * follows). A payload in memory goes out with the header in one flush. An iterable payload is flushed chunk by chunk,
 * which applies the transport's backpressure to whoever produces the chunks. Not async, so that a payload in memory,
 * as nearly every request and response has, costs no async frame: a `write` that throws (the output was ended or
 * aborted) throws here, and callers call it where a throw and a rejection are handled alike.
 */
export function sendPayload(
  stream: MultiplexedStream,
  header: Uint8Array,
  payload: OutgoingPayload,
  endStream: boolean,
): Promise<FlushResult> {
  const output = stream.output;
  output.write(header);
  if (payload instanceof Uint8Array) {
    output.write(payload);
    return endStream ? output.end() : output.flush();
  }
  return sendChunks(stream, payload, endStream);
}

async function sendChunks(stream: MultiplexedStream, chunks: AsyncIterable<Uint8Array>, endStream: boolean): Promise<FlushResult> {
  const result = await writeChunks(stream, chunks);
  return result === "flushed" && endStream ? stream.output.end() : result;
}

/** Copies a payload continuation, then ends the stream. */
export async function sendContinuation(stream: MultiplexedStream, continuation: AsyncIterable<Uint8Array>): Promise<FlushResult> {
  const result = await writeChunks(stream, continuation);
  return result === "flushed" ? stream.output.end() : result;
}

/**
 * Finishes a payload that will not be sent (the request or response failed before it), so that its producer learns
 * it is not wanted: the contract of `OutgoingPayload` is that an iterable is always read to its end or closed.
 */
export function closeUnsentPayload(payload: OutgoingPayload | undefined): void {
  if (payload !== undefined && !(payload instanceof Uint8Array)) {
    closeIterator(payload[Symbol.asyncIterator]());
  }
}

const writesClosedMarker = Symbol("writesClosed");

/**
 * Writes the chunks of an iterable, flushing each. The wait for the producer's next chunk ends as soon as the stream
 * can take no more (the peer stopped reading, the invocation was canceled, the connection went away: `writesClosed`),
 * and the producer is then closed even while it is stuck, as C# cancels a pending read of the payload.
 */
async function writeChunks(stream: MultiplexedStream, chunks: AsyncIterable<Uint8Array>): Promise<FlushResult> {
  const output = stream.output;
  const iterator = chunks[Symbol.asyncIterator]();
  let writesClosed = false;
  let wake: ((value: typeof writesClosedMarker) => void) | undefined;
  void stream.writesClosed.then(() => {
    writesClosed = true;
    wake?.(writesClosedMarker);
  });
  let iteratorDone = false;
  try {
    for (;;) {
      if (writesClosed) {
        return "writesClosed";
      }
      const next = iterator.next();
      // One wake-up function instead of Promise.race, which would leave a reaction on `writesClosed` per chunk.
      const result = await new Promise<IteratorResult<Uint8Array> | typeof writesClosedMarker>((resolve, reject) => {
        wake = resolve;
        next.then(resolve, (error: unknown) => {
          iteratorDone = true;
          reject(error);
        });
      });
      wake = undefined;
      if (result === writesClosedMarker) {
        next.catch(() => {});
        return "writesClosed";
      }
      if (result.done === true) {
        iteratorDone = true;
        return "flushed";
      }
      output.write(result.value);
      if ((await output.flush()) === "writesClosed") {
        return "writesClosed";
      }
    }
  } finally {
    if (!iteratorDone) {
      closeIterator(iterator);
    }
  }
}

/** Calls `return` without waiting: an async generator stuck in an await would not answer until it resumes. */
function closeIterator(iterator: AsyncIterator<Uint8Array>): void {
  try {
    void Promise.resolve(iterator.return?.()).catch(() => {});
  } catch {
    // A producer that fails to close has nothing more to tell us.
  }
}
