import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { MemoryTransport } from "../src/index.js";

// One instance serves as both the client and the server transport: a client reaches only the listeners of the
// instance that created it.
multiplexedTransportConformanceTests({
  name: "memory",
  createTransports: () => {
    const transport = new MemoryTransport();
    return { client: transport, server: transport };
  },
  listenAddress: () => ({ host: "conformance", port: 0, params: {} }),
});
