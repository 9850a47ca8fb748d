// The icerpc protocol suite (protocol connections, ClientConnection, ConnectionCache, Server) over the memory
// transport.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { MemoryTransport } from "../src/index.js";

let listenerCount = 0;

icerpcProtocolTests({
  name: "memory",
  // One instance is both sides: a memory client reaches only the listeners of its own instance.
  createTransports() {
    const transport = new MemoryTransport();
    return { client: transport, server: transport };
  },
  // A fresh name each time, since a test may run several servers on one transport.
  listenAddress: () => ({ host: `protocol-test-${++listenerCount}`, port: 4062, transport: "memory", params: {} }),
});
