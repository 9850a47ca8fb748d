// The shared multiplexed transport conformance suite over tcp-yamux on TLS.
import { multiplexedTransportConformanceTests } from "@icerpc-ts/transport-conformance";

import { loopbackAddress, tlsOptions, transportPair } from "./support/transports.js";

multiplexedTransportConformanceTests({
  name: "tcp-yamux (TLS)",
  createTransports: () => transportPair(tlsOptions()),
  listenAddress: loopbackAddress,
});
