// Byte channels and certificates for the transport tests and the benchmarks: loopback TCP sockets (real sockets, no
// network beyond this host), an in-memory byte channel pair with real backpressure, and TLS test certificates.
export { connectLoopback, listenLoopback, socketPair } from "./loopback.js";
export { delayedSocketPair } from "./delayed-socket-pair.js";
export { MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "./memory-channel.js";
export { type KeyPair, type TestCertificates, testCertificates } from "./test-certificates.js";
