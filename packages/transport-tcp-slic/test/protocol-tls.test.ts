// The icerpc protocol suite over tcp on TLS. The suite names server addresses after the transport, so its
// name is the transport's: "tcp", as in protocol.test.ts.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { loopbackAddress, tlsOptions, transportPair } from "./support/transports.js";

icerpcProtocolTests({
  name: "tcp",
  createTransports: () => transportPair(tlsOptions()),
  listenAddress: loopbackAddress,
});
