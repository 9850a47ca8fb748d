// The icerpc protocol suite (protocol connections, ClientConnection, ConnectionCache, Server) over tcp on plain
// TCP.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { loopbackAddress, transportPair } from "./support/transports.js";

icerpcProtocolTests({
  name: "tcp",
  createTransports: () => transportPair(),
  listenAddress: loopbackAddress,
});
