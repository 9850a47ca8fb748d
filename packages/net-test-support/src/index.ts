// Byte channels and certificates for the transport tests and the benchmarks: loopback TCP sockets (real sockets, no
// network beyond this host), an in-memory byte channel pair with real backpressure, TLS test certificates, and a TCP
// relay a test can freeze or reset.
export { connectLoopback, listenLoopback, socketPair } from "./loopback.js";
export { delayedSocketPair } from "./delayed-socket-pair.js";
export { MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "./memory-channel.js";
export { type KeyPair, type TestCertificates, testCertificates } from "./test-certificates.js";
export { type HostAndPort, TcpProxy } from "./tcp-proxy.js";
