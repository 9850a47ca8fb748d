// The icerpc protocol test suite, run by each transport package over its own transport, and the test tools it is
// built on: a fault-injecting transport decorator and a raw icerpc peer.
export { icerpcProtocolTests } from "./icerpc-protocol-tests.js";
export { icerpcVolumeTests } from "./suites/volume-tests.js";
export * from "./faulty-transport/index.js";
export * from "./raw-peer/index.js";
