// The shared multiplexed transport conformance suite over tcp (Slic) on plain TCP.
import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { loopbackAddress, transportPair } from "./support/transports.js";

multiplexedTransportConformanceTests({
  name: "tcp",
  createTransports: () => transportPair(),
  listenAddress: loopbackAddress,
});
