import { afterEach, describe } from "@jest/globals";

import { ConformanceFixture } from "./conformance-fixture.js";
import { declareStreamDataTests } from "./stream-data-tests.js";
import { declareStreamStateTests } from "./stream-state-tests.js";
import { declareStreamTryReadTests } from "./stream-try-read-tests.js";
import type { TransportUnderTest } from "./transport-under-test.js";

/**
 * Declares "<name> multiplexed stream conformance": the stream tests of IceRPC's conformance suite, plus the
 * project's own (a writer outrunning its reader, the contract's usage errors).
 */
export function multiplexedStreamConformanceTests(transport: TransportUnderTest): void {
  describe(`${transport.name} multiplexed stream conformance`, () => {
    const fixture = new ConformanceFixture(transport);
    afterEach(() => fixture.disposeAll());

    declareStreamStateTests(fixture);
    declareStreamDataTests(fixture);
    declareStreamTryReadTests(fixture);
  });
}
