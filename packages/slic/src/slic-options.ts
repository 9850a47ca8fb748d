import { checkIntegerOption } from "@icerpc-ts/primitives";

import {
  maxMaxStreamFrameSize,
  maxWindowSize,
  minInitialStreamWindowSize,
  minMaxStreamFrameSize,
} from "./frame-type.js";

/** Slic's own settings (IceRPC C#'s `SlicTransportOptions`); the stream limits come from the contract's options. */
export interface SlicOptions {
  /**
   * Milliseconds without receiving anything after which the connection is aborted (`ConnectionIdle`); the smaller
   * of both sides' applies, and a client pings to keep an idle connection alive. Infinity for none. Default 30,000.
   */
  readonly idleTimeout?: number;
  /** The bytes a peer may send on a stream before this side's reader reads them. Default 65,536 (at least 1,024). */
  readonly initialStreamWindowSize?: number;
  /** The most data bytes one Stream frame from the peer may carry. Default 32,768 (1,024 to 16,777,215). */
  readonly maxStreamFrameSize?: number;
  /**
   * How many Pongs may wait to be written, answers to the peer's Pings; a Ping beyond is a protocol error (a peer
   * that pings without reading). Default 100.
   */
  readonly maxOutstandingPongs?: number;
}

/** IceRPC C#'s defaults. */
export const defaultSlicOptions: Required<SlicOptions> = Object.freeze({
  idleTimeout: 30_000,
  initialStreamWindowSize: 65_536,
  maxStreamFrameSize: 32_768,
  maxOutstandingPongs: 100,
});

/** setTimeout's largest delay. */
const maxIdleTimeout = 2 ** 31 - 1;

/** `options` over the defaults, checked; throws `RangeError` for a value out of range. */
export function resolveSlicOptions(options: SlicOptions = {}): Required<SlicOptions> {
  const resolved = { ...defaultSlicOptions, ...options };
  const { idleTimeout } = resolved;
  if (idleTimeout !== Infinity) {
    checkIntegerOption("idleTimeout", idleTimeout, 1, maxIdleTimeout);
  }
  checkIntegerOption("initialStreamWindowSize", resolved.initialStreamWindowSize, minInitialStreamWindowSize, maxWindowSize);
  checkIntegerOption("maxStreamFrameSize", resolved.maxStreamFrameSize, minMaxStreamFrameSize, maxMaxStreamFrameSize);
  checkIntegerOption("maxOutstandingPongs", resolved.maxOutstandingPongs, 1);
  return Object.freeze(resolved);
}
