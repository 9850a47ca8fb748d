// A yamux stream multiplexer (hashicorp/yamux spec) over any reliable byte channel, browser-safe.
export type { ByteChannel, ByteChannelReceiver } from "@icerpc-ts/primitives";
export { GoAwayCode, initialStreamWindow } from "./frame.js";
export { YamuxSession, type YamuxRole } from "./yamux-session.js";
export {
  defaultYamuxSessionOptions,
  resolveYamuxSessionOptions,
  type YamuxSessionOptions,
} from "./yamux-session-options.js";
export type { RemoteClose, YamuxStream } from "./yamux-stream.js";
export { YamuxError, YamuxErrorCode } from "./yamux-error.js";
export { runSoon } from "@icerpc-ts/primitives";
