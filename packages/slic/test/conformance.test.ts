// The shared multiplexed transport conformance suite over Slic on in-memory byte channel pairs.
import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { MemorySlicTransport } from "./support/memory-slic-transport.js";

let listenerCount = 0;

multiplexedTransportConformanceTests({
  name: "slic",
  createTransports: () => {
    const transport = new MemorySlicTransport();
    return { client: transport, server: transport };
  },
  listenAddress: () => ({ host: `conformance-${++listenerCount}`, port: 0, params: {} }),
});
