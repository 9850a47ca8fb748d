// The shared multiplexed transport conformance suite over wss, with the test CA.
import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { loopbackAddress, transportPair, wssOptions } from "./support/transports.js";

multiplexedTransportConformanceTests({
  name: "wss",
  createTransports: () => transportPair(wssOptions()),
  listenAddress: loopbackAddress("wss"),
});
