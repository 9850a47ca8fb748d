// The icerpc protocol suite (protocol connections, ClientConnection, ConnectionCache, Server) over tcp-yamux on plain
// TCP.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { loopbackAddress, transportPair } from "./support/transports.js";

icerpcProtocolTests({
  name: "tcp-yamux",
  createTransports: () => transportPair(),
  listenAddress: loopbackAddress,
});
