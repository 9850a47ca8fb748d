import type { MultiplexedConnectionOptions } from "@icerpc-ts/core/transport";

/** Options of a {@link MemoryTransport}, shared by every connection it creates or accepts. */
export interface MemoryTransportOptions {
  /**
   * The flow-control window of each stream direction, in bytes: how many bytes a writer may send that the peer has
   * not read yet. A flush waits while the window is full, and each stream buffers at most this many bytes per
   * direction. An integer from 1 to 2^31 - 1; 64 KiB by default (IceRPC's Slic and Coloc default).
   */
  readonly streamWindowSize?: number;
}

export const defaultStreamWindowSize = 64 * 1024;

/** Slic's largest window; a bigger one would only make one stream hold more memory. */
const maxStreamWindowSize = 2 ** 31 - 1;

/** setTimeout's largest delay: longer ones fire immediately. */
const maxHandshakeTimeout = 2 ** 31 - 1;

/** The stream window size `options` ask for, validated. Throws `RangeError` for an invalid value. */
export function streamWindowSizeOf(options: MemoryTransportOptions): number {
  const windowSize = options.streamWindowSize ?? defaultStreamWindowSize;
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize > maxStreamWindowSize) {
    throw new RangeError(
      `Invalid streamWindowSize ${windowSize}: it must be an integer number of bytes from 1 to ${maxStreamWindowSize}.`,
    );
  }
  return windowSize;
}

/** A frozen copy of `options` once validated, so that later changes by the caller have no effect. */
export function checkConnectionOptions(options: MultiplexedConnectionOptions): MultiplexedConnectionOptions {
  for (const name of ["maxBidirectionalStreams", "maxUnidirectionalStreams"] as const) {
    const value = options[name];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`Invalid ${name} ${value}: it must be an integer, 0 or more.`);
    }
  }
  const { handshakeTimeout } = options;
  if (!(handshakeTimeout > 0 && handshakeTimeout <= maxHandshakeTimeout)) {
    throw new RangeError(
      `Invalid handshakeTimeout ${handshakeTimeout}: it must be a number of milliseconds above 0 and at most ${maxHandshakeTimeout}.`,
    );
  }
  return Object.freeze({
    maxBidirectionalStreams: options.maxBidirectionalStreams,
    maxUnidirectionalStreams: options.maxUnidirectionalStreams,
    handshakeTimeout,
  });
}
