// The shared multiplexed transport conformance suite over tcp-yamux on plain TCP.
import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { loopbackAddress, transportPair } from "./support/transports.js";

multiplexedTransportConformanceTests({
  name: "tcp-yamux",
  createTransports: () => transportPair(),
  listenAddress: loopbackAddress,
});
