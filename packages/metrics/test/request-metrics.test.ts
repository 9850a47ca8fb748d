import { describe, expect, test } from "@jest/globals";
import {
  ClientConnection,
  OutgoingRequest,
  OutgoingResponse,
  Pipeline,
  Router,
  Server,
  ServiceAddress,
  StatusCode,
  type Middleware,
} from "@icerpc-ts/core";
import { metricsInterceptor, metricsMiddleware } from "../src/index.js";
import { MetricValues } from "./metric-values.js";
import { listenAddress, testTransports, transports, type TestTransport } from "./transports.js";

/** A server counting its dispatches and a client counting its invocations, over `transport`, with their metrics. */
async function setUp(transport: TestTransport, router: Router) {
  const metrics = new MetricValues();
  const server = new Server({ dispatcher: router.use(metricsMiddleware(metrics)), serverAddress: listenAddress(transport), transports });
  const serverAddress = await server.listen();
  const connection = new ClientConnection({ serverAddress, transports });
  const pipeline = new Pipeline().use(metricsInterceptor(metrics)).into(connection);
  const request = (operation: string) => new OutgoingRequest(new ServiceAddress({ path: "/test", serverAddress }), { operation });
  return {
    metrics,
    pipeline,
    request,
    async [Symbol.asyncDispose]() {
      // The client first, so that the server is not left waiting for its connection.
      await connection.dispose();
      await server.dispose();
    },
  };
}

/** Resolves each time a dispatch ends, after every middleware inside this one counted it. */
function dispatchEnds(): { middleware: Middleware; next: () => Promise<void> } {
  let resolve = (): void => {};
  let ended = new Promise<void>((r) => (resolve = r));
  return {
    middleware: (next) => ({
      async dispatch(request) {
        try {
          return await next.dispatch(request);
        } finally {
          resolve();
          ended = new Promise<void>((r) => (resolve = r));
        }
      },
    }),
    next: () => ended,
  };
}

describe.each(testTransports)("request metrics over %s", (transport) => {
  test("an Ok response, an error response and a thrown error count as total, the last two as failed", async () => {
    const router = new Router().map("/test", (request) => {
      switch (request.operation) {
        case "ok":
          return new OutgoingResponse();
        case "unavailable":
          return new OutgoingResponse({ statusCode: StatusCode.Unavailable, errorMessage: "not here" });
        default:
          throw new Error("the service failed");
      }
    });
    await using peers = await setUp(transport, router);
    const statusCodes = [];
    for (const operation of ["ok", "unavailable", "throw"]) {
      const response = await peers.pipeline.invoke(peers.request(operation));
      await response.payload.readAll();
      statusCodes.push(response.statusCode);
    }
    expect(statusCodes).toEqual([StatusCode.Ok, StatusCode.Unavailable, StatusCode.InternalError]);

    const expected = { "current-requests": 0, "total-requests": 3, "failed-requests": 2 };
    expect(await peers.metrics.of("IceRpc.Invocation")).toEqual(expected);
    expect(await peers.metrics.of("IceRpc.Dispatch")).toEqual(expected);
  });

  test("a request in progress is current; canceled by the caller, it counts as canceled on both sides", async () => {
    let dispatchStarted = (): void => {};
    const started = new Promise<void>((resolve) => (dispatchStarted = resolve));
    const ends = dispatchEnds();
    const router = new Router().use(ends.middleware).map("/test", (request) => {
      dispatchStarted();
      // Until the caller cancels: the connection aborts the request's signal when the caller stops reading.
      return new Promise<OutgoingResponse>((_, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason as Error), { once: true });
      });
    });
    await using peers = await setUp(transport, router);
    const controller = new AbortController();
    const invocation = peers.pipeline.invoke(peers.request("wait"), controller.signal);
    invocation.catch(() => {});
    await started;
    expect(await peers.metrics.of("IceRpc.Invocation")).toEqual({ "current-requests": 1, "total-requests": 1 });
    expect(await peers.metrics.of("IceRpc.Dispatch")).toEqual({ "current-requests": 1, "total-requests": 1 });

    const dispatchEnded = ends.next();
    controller.abort(new Error("the caller gave up"));
    await expect(invocation).rejects.toThrow("the caller gave up");
    await dispatchEnded;
    const expected = { "current-requests": 0, "total-requests": 1, "canceled-requests": 1 };
    expect(await peers.metrics.of("IceRpc.Invocation")).toEqual(expected);
    expect(await peers.metrics.of("IceRpc.Dispatch")).toEqual(expected);
  });

  test("an invocation that fails without a response counts as failed", async () => {
    await using peers = await setUp(transport, new Router());
    const connection = new ClientConnection({ serverAddress: peers.request("x").serviceAddress.serverAddress!, transports });
    await connection.dispose();
    const pipeline = new Pipeline().use(metricsInterceptor(peers.metrics)).into(connection);
    await expect(pipeline.invoke(peers.request("ok"))).rejects.toThrow();
    expect(await peers.metrics.of("IceRpc.Invocation")).toEqual({ "current-requests": 0, "total-requests": 1, "failed-requests": 1 });
  });
});
