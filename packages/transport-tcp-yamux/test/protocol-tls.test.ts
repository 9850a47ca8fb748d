// The icerpc protocol suite over tcp-yamux on TLS. The suite names server addresses after the transport, so its
// name is the transport's: "tcp-yamux", as in protocol.test.ts.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { loopbackAddress, tlsOptions, transportPair } from "./support/transports.js";

icerpcProtocolTests({
  name: "tcp-yamux",
  createTransports: () => transportPair(tlsOptions()),
  listenAddress: loopbackAddress,
});
