// An in-process multiplexed transport with real stream semantics, for in-process clients and servers and for tests
// and benchmarks of the layers above the transport.
export { MemoryTransport } from "./memory-transport.js";
export { defaultStreamWindowSize, type MemoryTransportOptions } from "./memory-transport-options.js";
