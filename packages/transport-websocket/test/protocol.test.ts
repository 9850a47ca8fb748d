// The icerpc protocol suite over ws.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { loopbackAddress, transportPair } from "./support/transports.js";

icerpcProtocolTests({
  name: "ws",
  createTransports: () => transportPair(),
  listenAddress: loopbackAddress("ws"),
});
