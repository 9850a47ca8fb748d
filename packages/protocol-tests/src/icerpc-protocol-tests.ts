import { afterEach, describe } from "@jest/globals";
import type { TransportUnderTest } from "@icerpc-ts/transport-conformance";

import { declareClientConnectionTests } from "./suites/client-connection-tests.js";
import { declareClientProtocolConnectionFactoryTests } from "./suites/client-protocol-connection-factory-tests.js";
import { declareConnectionCacheTests } from "./suites/connection-cache-tests.js";
import { declareConnectTests } from "./suites/icerpc-protocol-connection/connect-tests.js";
import { declareHostileHeaderTests } from "./suites/icerpc-protocol-connection/hostile-header-tests.js";
import { declareInvocationTests } from "./suites/icerpc-protocol-connection/invocation-tests.js";
import { declarePayloadTests } from "./suites/icerpc-protocol-connection/payload-tests.js";
import { declareShutdownTests } from "./suites/icerpc-protocol-connection/shutdown-tests.js";
import { declareDispatchTests } from "./suites/protocol-connection/dispatch-tests.js";
import { declareLifecycleTests } from "./suites/protocol-connection/lifecycle-tests.js";
import { declareStreamingTests } from "./suites/protocol-connection/streaming-tests.js";
import { declareServerTests } from "./suites/server-tests.js";
import { ProtocolFixture } from "./support/protocol-fixture.js";

/** Declares a describe block whose tests share a fixture cleaned up after each test. */
function describeWithFixture(name: string, transport: TransportUnderTest, declare: (fixture: ProtocolFixture) => void): void {
  describe(name, () => {
    const fixture = new ProtocolFixture(transport);
    afterEach(() => fixture.cleanup());
    declare(fixture);
  });
}

/**
 * The icerpc protocol test suite, run over `transport`: IceRPC C#'s IceRpcProtocolConnectionTests and
 * ProtocolConnectionTests (reference §4.6), the connections of a ClientProtocolConnectionFactory, and the
 * ClientConnection, ConnectionCache and Server behaviours of reference §2.6. Every test uses fresh transports from
 * `transport.createTransports()`, wrapped in fault-injecting decorators, and addresses from
 * `transport.listenAddress()`, which must return an address free to listen on at each call (port 0 where the
 * transport resolves ephemeral ports).
 */
export function icerpcProtocolTests(transport: TransportUnderTest): void {
  describeWithFixture(`${transport.name} icerpc protocol connection`, transport, (fixture) => {
    declareConnectTests(fixture);
    declareHostileHeaderTests(fixture);
    declareInvocationTests(fixture);
    declarePayloadTests(fixture);
    declareShutdownTests(fixture);
  });
  describeWithFixture(`${transport.name} protocol connection`, transport, (fixture) => {
    declareDispatchTests(fixture);
    declareLifecycleTests(fixture);
    declareStreamingTests(fixture);
  });
  describeWithFixture(`${transport.name} ClientConnection`, transport, declareClientConnectionTests);
  describeWithFixture(`${transport.name} ClientProtocolConnectionFactory`, transport, declareClientProtocolConnectionFactoryTests);
  describeWithFixture(`${transport.name} ConnectionCache`, transport, declareConnectionCacheTests);
  describeWithFixture(`${transport.name} Server`, transport, declareServerTests);
}
