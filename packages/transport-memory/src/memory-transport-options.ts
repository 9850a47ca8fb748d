import { checkIntegerOption } from "@icerpc-ts/primitives";

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

/** The stream window size `options` ask for, validated. Throws `RangeError` for an invalid value. */
export function streamWindowSizeOf(options: MemoryTransportOptions): number {
  const windowSize = options.streamWindowSize ?? defaultStreamWindowSize;
  checkIntegerOption("streamWindowSize", windowSize, 1, maxStreamWindowSize);
  return windowSize;
}
