import { afterEach, describe } from "@jest/globals";

import { ConformanceFixture } from "./conformance-fixture.js";
import { declareConnectionCloseTests } from "./connection-close-tests.js";
import { declareConnectionStreamLimitTests } from "./connection-stream-limit-tests.js";
import { declareConnectionStreamTests } from "./connection-stream-tests.js";
import type { TransportUnderTest } from "./transport-under-test.js";

/**
 * Declares "<name> multiplexed connection conformance": the connection tests of IceRPC's conformance suite, plus
 * the project's own (id order, 1,000 concurrent streams).
 */
export function multiplexedConnectionConformanceTests(transport: TransportUnderTest): void {
  describe(`${transport.name} multiplexed connection conformance`, () => {
    const fixture = new ConformanceFixture(transport);
    afterEach(() => fixture.disposeAll());

    declareConnectionStreamTests(fixture);
    declareConnectionStreamLimitTests(fixture);
    declareConnectionCloseTests(fixture);
  });
}
