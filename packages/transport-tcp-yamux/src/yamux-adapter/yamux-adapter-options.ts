import { resolveYamuxSessionOptions, type YamuxSessionOptions } from "@icerpc-ts/yamux";

// The check of the contract's options, part of the adapter's API next to its own options' checks, for transports
// over other byte channels.
export { checkConnectionOptions } from "@icerpc-ts/core/transport-helpers";

/** The tunables of the yamux session under each connection; every one is optional. */
export interface YamuxAdapterOptions {
  /**
   * Milliseconds between keep-alive pings, which each side sends; 0 disables them. Default 15,000: with the default
   * timeout, a dead peer or network is detected within 30 s, IceRPC's idle timeout.
   */
  readonly keepAliveInterval?: number;
  /**
   * Milliseconds a keep-alive ping may wait for its answer before the connection fails with
   * `IceRpcException(ConnectionIdle)`. Default 15,000.
   */
  readonly keepAliveTimeout?: number;
  /**
   * The largest receive window a stream grows to, in bytes: the most one stream buffers, and what one stream can
   * have in flight. From 256 KiB (yamux's initial window: no growth) to 2^31 − 1. Default 16 MiB.
   */
  readonly maxStreamWindowSize?: number;
  /**
   * How many bytes the receive windows of a connection's streams may grow beyond their initial 256 KiB, all together:
   * with the stream limits, it bounds what a connection buffers. From 0 (no growth) to 2^53 − 1. Default 64 MiB.
   */
  readonly maxWindowGrowth?: number;
}

export const defaultYamuxAdapterOptions: Required<YamuxAdapterOptions> = Object.freeze({
  keepAliveInterval: 15_000,
  keepAliveTimeout: 15_000,
  maxStreamWindowSize: 16 * 1024 * 1024,
  maxWindowGrowth: 64 * 1024 * 1024,
});

/** `options` with the defaults filled in, checked by yamux: throws `RangeError` naming the bad option. */
export function resolveYamuxAdapterOptions(options: YamuxAdapterOptions = {}): Required<YamuxAdapterOptions> {
  const defaults = defaultYamuxAdapterOptions;
  const resolved: Required<YamuxAdapterOptions> = Object.freeze({
    keepAliveInterval: options.keepAliveInterval ?? defaults.keepAliveInterval,
    keepAliveTimeout: options.keepAliveTimeout ?? defaults.keepAliveTimeout,
    maxStreamWindowSize: options.maxStreamWindowSize ?? defaults.maxStreamWindowSize,
    maxWindowGrowth: options.maxWindowGrowth ?? defaults.maxWindowGrowth,
  });
  resolveYamuxSessionOptions(resolved);
  return resolved;
}

/**
 * The options of the yamux session under a connection. Yamux's own stream limits are lifted: the adapter enforces
 * the limits of its Settings itself (they bound the streams awaiting their ACK too), and a stream refused by yamux
 * would shift the ids of every later stream.
 */
export function yamuxSessionOptionsOf(options: Required<YamuxAdapterOptions>): YamuxSessionOptions {
  const unlimited = 0x7fff_ffff;
  return { ...options, acceptBacklog: unlimited, maxInboundStreams: unlimited, maxUnacknowledgedStreams: unlimited };
}
