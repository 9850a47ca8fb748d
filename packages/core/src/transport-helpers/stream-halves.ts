import { InvalidOperationError } from "../errors/usage-errors.js";
import type { StreamInput, StreamOutput } from "../transport/multiplexed-stream.js";

// A unidirectional stream has only one half on each side; the contract makes using the other one a usage error, the
// same for every transport.

/** `input`, the input of stream `streamId`; throws `InvalidOperationError` when the stream has none. */
export function presentInput<T extends StreamInput>(input: T | undefined, streamId: number): T {
  if (input === undefined) {
    throw new InvalidOperationError(
      `Stream ${streamId} has no input: only the side that accepts a unidirectional stream reads it.`,
    );
  }
  return input;
}

/** `output`, the output of stream `streamId`; throws `InvalidOperationError` when the stream has none. */
export function presentOutput<T extends StreamOutput>(output: T | undefined, streamId: number): T {
  if (output === undefined) {
    throw new InvalidOperationError(
      `Stream ${streamId} has no output: only the side that creates a unidirectional stream writes it.`,
    );
  }
  return output;
}

/**
 * How many halves of a stream are open when it starts, each to be reported done once: the stream is done on this
 * side, and leaves its connection, when none is left.
 */
export function openHalfCount(input: StreamInput | undefined, output: StreamOutput | undefined): number {
  return (input === undefined ? 0 : 1) + (output === undefined ? 0 : 1);
}
