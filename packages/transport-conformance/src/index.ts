export type { TransportUnderTest } from "./transport-under-test.js";
