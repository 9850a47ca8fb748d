// The shared multiplexed transport conformance suite over ws.
import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { loopbackAddress, transportPair } from "./support/transports.js";

multiplexedTransportConformanceTests({
  name: "ws",
  createTransports: () => transportPair(),
  listenAddress: loopbackAddress("ws"),
});
