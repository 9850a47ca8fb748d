import { resolveYamuxSessionOptions, type YamuxSessionOptions } from "@icerpc-ts/yamux";

/**
 * The tunables of the yamux session under each connection, every one optional, as `@icerpc-ts/yamux` documents them.
 * Its stream limits are not among them: the contract's stream limits, in the adapter's Settings, take their place.
 */
export type YamuxAdapterOptions = Pick<
  YamuxSessionOptions,
  "keepAliveInterval" | "keepAliveTimeout" | "maxStreamWindowSize" | "maxWindowGrowth" | "maxFrameSize"
>;

/**
 * Where the adapter departs from yamux's defaults: a ping every 15 s, answered within 15 s, so that a dead peer or
 * network is detected within 30 s, IceRPC's idle timeout.
 */
export const defaultYamuxAdapterOptions = Object.freeze({ keepAliveInterval: 15_000, keepAliveTimeout: 15_000 });

/**
 * The options of the yamux session under a connection; throws `RangeError` naming a bad option. Yamux's own stream
 * limits are lifted: the adapter enforces the limits of its Settings itself (they bound the streams awaiting their
 * ACK too), and a stream refused by yamux would shift the ids of every later stream.
 */
export function yamuxSessionOptionsOf(options: YamuxAdapterOptions = {}): Required<YamuxSessionOptions> {
  const unlimited = 0x7fff_ffff;
  return resolveYamuxSessionOptions({
    keepAliveInterval: options.keepAliveInterval ?? defaultYamuxAdapterOptions.keepAliveInterval,
    keepAliveTimeout: options.keepAliveTimeout ?? defaultYamuxAdapterOptions.keepAliveTimeout,
    maxStreamWindowSize: options.maxStreamWindowSize,
    maxWindowGrowth: options.maxWindowGrowth,
    maxFrameSize: options.maxFrameSize,
    acceptBacklog: unlimited,
    maxInboundStreams: unlimited,
    maxUnacknowledgedStreams: unlimited,
  });
}
