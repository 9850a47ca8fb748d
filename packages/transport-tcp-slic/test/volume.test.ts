// The shared volume suite over tcp (Slic) on plain TCP: 1 GiB on one stream, 10,000 requests from 100 callers.
import { icerpcVolumeTests } from "@icerpc-ts/protocol-tests";

import { loopbackAddress, transportPair } from "./support/transports.js";

icerpcVolumeTests({ name: "tcp", createTransports: () => transportPair(), listenAddress: loopbackAddress });
