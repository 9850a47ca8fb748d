import { multiplexedConnectionConformanceTests } from "./connection-conformance.js";
import { multiplexedListenerConformanceTests } from "./listener-conformance.js";
import { multiplexedStreamConformanceTests } from "./stream-conformance.js";
import type { TransportUnderTest } from "./transport-under-test.js";

/** Declares every conformance group for `transport`: connection, stream and listener. */
export function multiplexedTransportConformanceTests(transport: TransportUnderTest): void {
  multiplexedConnectionConformanceTests(transport);
  multiplexedStreamConformanceTests(transport);
  multiplexedListenerConformanceTests(transport);
}
