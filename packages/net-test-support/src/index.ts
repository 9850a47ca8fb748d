// Byte channels for the multiplexer tests and the benchmarks: loopback TCP sockets (real sockets, no network beyond
// this host) and an in-memory byte channel pair with real backpressure.
export { connectLoopback, listenLoopback, socketPair } from "./loopback.js";
export { delayedSocketPair } from "./delayed-socket-pair.js";
export { MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "./memory-channel.js";
