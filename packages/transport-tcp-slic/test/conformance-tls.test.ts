// The shared multiplexed transport conformance suite over tcp (Slic) on TLS.
import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { loopbackAddress, tlsOptions, transportPair } from "./support/transports.js";

multiplexedTransportConformanceTests({
  name: "tcp (TLS)",
  createTransports: () => transportPair(tlsOptions()),
  listenAddress: loopbackAddress,
});
