// Loopback TCP sockets for the yamux tests and the benchmarks: real sockets, no network beyond this host.
export { connectLoopback, listenLoopback, socketPair } from "./loopback.js";
export { delayedSocketPair } from "./delayed-socket-pair.js";
