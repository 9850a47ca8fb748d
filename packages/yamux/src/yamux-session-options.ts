import { initialStreamWindow } from "./frame.js";

/** The tunables of a {@link YamuxSession}; every one is optional. */
export interface YamuxSessionOptions {
  /**
   * The largest receive window a stream grows to, in bytes: the most one stream buffers. From 256 KiB (growth
   * disabled) to 2^31 − 1. Default 16 MiB.
   */
  readonly maxStreamWindowSize?: number;
  /**
   * How many bytes the receive windows of all streams together may grow beyond their initial 256 KiB: with the
   * stream limits, it bounds what a session buffers. From 0 (no growth) to 2^53 − 1. Default 64 MiB.
   */
  readonly maxWindowGrowth?: number;
  /** The largest Data payload this side sends, in bytes: bigger writes are split. From 1 to 16 MiB. Default 64 KiB. */
  readonly maxFrameSize?: number;
  /** How many streams the peer opened that may wait for `acceptStream`; more are refused with RST. Default 256. */
  readonly acceptBacklog?: number;
  /**
   * How many streams the peer opened may be open at once (accepted or not, until closed); more are refused with
   * RST. Default 1024.
   */
  readonly maxInboundStreams?: number;
  /**
   * How many streams this side opened may await the peer's ACK; `openStream` waits beyond. The peer acknowledges
   * when its application accepts, so this keeps within the peer's accept backlog (256 in hashicorp/yamux).
   * Default 256.
   */
  readonly maxUnacknowledgedStreams?: number;
  /** Milliseconds between keep-alive pings; 0 disables keep-alive. Default 30,000. */
  readonly keepAliveInterval?: number;
  /**
   * Milliseconds a keep-alive ping may wait for its answer before the session fails with
   * `YamuxError(KeepAliveTimeout)`. Default 10,000.
   */
  readonly keepAliveTimeout?: number;
}

/** The defaults of {@link YamuxSessionOptions}. */
export const defaultYamuxSessionOptions: Required<YamuxSessionOptions> = Object.freeze({
  maxStreamWindowSize: 16 * 1024 * 1024,
  maxWindowGrowth: 64 * 1024 * 1024,
  maxFrameSize: 64 * 1024,
  acceptBacklog: 256,
  maxInboundStreams: 1024,
  maxUnacknowledgedStreams: 256,
  keepAliveInterval: 30_000,
  keepAliveTimeout: 10_000,
});

/** Fills in the defaults and checks the ranges; throws `RangeError` naming the bad option. */
export function resolveYamuxSessionOptions(options: YamuxSessionOptions): Required<YamuxSessionOptions> {
  const resolved = { ...defaultYamuxSessionOptions };
  for (const name of Object.keys(resolved) as (keyof YamuxSessionOptions)[]) {
    resolved[name] = options[name] ?? resolved[name];
  }
  checkRange(resolved, "maxStreamWindowSize", initialStreamWindow, 0x7fff_ffff);
  checkRange(resolved, "maxWindowGrowth", 0, Number.MAX_SAFE_INTEGER);
  checkRange(resolved, "maxFrameSize", 1, 16 * 1024 * 1024);
  checkRange(resolved, "acceptBacklog", 1, 0x7fff_ffff);
  checkRange(resolved, "maxInboundStreams", 1, 0x7fff_ffff);
  checkRange(resolved, "maxUnacknowledgedStreams", 1, 0x7fff_ffff);
  checkRange(resolved, "keepAliveInterval", 0, 0x7fff_ffff);
  checkRange(resolved, "keepAliveTimeout", 1, 0x7fff_ffff);
  return resolved;
}

function checkRange(options: Required<YamuxSessionOptions>, name: keyof YamuxSessionOptions, min: number, max: number) {
  const value = options[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`The yamux option ${name} must be an integer from ${min} to ${max}, not ${value}.`);
  }
}
