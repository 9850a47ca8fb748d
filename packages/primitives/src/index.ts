// Small building blocks shared by the core and the transport packages.
export { abortable, waitAbortable } from "./abort-signal.js";
export { followAbort, unfollowAbort } from "./abort-followers.js";
export type { ByteChannel, ByteChannelReceiver } from "./byte-channel.js";
export { type NodeSocket, SocketChannel } from "./socket-channel.js";
export { AsyncQueue } from "./async-queue.js";
export { AsyncSemaphore } from "./async-semaphore.js";
export { byteRange, ON_HEAP_ARRAY_LIMIT } from "./byte-range.js";
export { ChunkQueue } from "./chunk-queue.js";
export { concatBytes } from "./concat-bytes.js";
export { Deadline, SignalLink, runWithSignal } from "./signal-link.js";
export { Deferred } from "./deferred.js";
export { Fifo } from "./fifo.js";
export { checkIntegerOption } from "./integer-option.js";
export { LazyAbortSignal } from "./lazy-abort-signal.js";
export { runSoon } from "./run-soon.js";
