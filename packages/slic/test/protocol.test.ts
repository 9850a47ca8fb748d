// The icerpc protocol suite (protocol connections, ClientConnection, ConnectionCache, Server) over Slic on in-memory
// byte channel pairs.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { MemorySlicTransport, transportName } from "./support/memory-slic-transport.js";

let listenerCount = 0;

icerpcProtocolTests({
  name: transportName,
  // One instance is both sides: a client reaches only the listeners of its own instance.
  createTransports() {
    const transport = new MemorySlicTransport();
    return { client: transport, server: transport };
  },
  // A fresh name each time, since a test may run several servers on one transport.
  listenAddress: () => ({ host: `protocol-test-${++listenerCount}`, port: 4062, transport: transportName, params: {} }),
});
