// The icerpc protocol suite over wss, with the test CA. The suite names server addresses after the transport.
import { icerpcProtocolTests } from "@icerpc-ts/protocol-tests";

import { loopbackAddress, transportPair, wssOptions } from "./support/transports.js";

icerpcProtocolTests({
  name: "wss",
  createTransports: () => transportPair(wssOptions()),
  listenAddress: loopbackAddress("wss"),
});
