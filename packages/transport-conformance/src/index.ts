// The multiplexed transport contract as jest tests: a transport package calls these from one of its test files.
export { multiplexedConnectionConformanceTests } from "./connection-conformance.js";
export { multiplexedListenerConformanceTests } from "./listener-conformance.js";
export { multiplexedStreamConformanceTests } from "./stream-conformance.js";
export { multiplexedTransportConformanceTests } from "./transport-conformance.js";
export type { TransportUnderTest } from "./transport-under-test.js";

// Assertion helpers for asynchronous behaviour, shared with the protocol suite.
export { expectPending, isPending } from "./expect-pending.js";
export { describeError, describeOutcome, handledLater, rejectionOf } from "./operation-outcomes.js";
