import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  ClientConnection,
  OutgoingRequest,
  OutgoingResponse,
  Pipeline,
  RequestFieldKey,
  Router,
  Server,
  ServiceAddress,
  StatusCode,
  TransportRegistry,
} from "@icerpc-ts/core";
import { SliceEncoder } from "@icerpc-ts/core/codec";
import { TcpYamuxTransport } from "@icerpc-ts/transport-tcp-yamux";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { context, propagation, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { encodeTraceContext, telemetryInterceptor, telemetryMiddleware, type TelemetryOptions } from "../src/index.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const options: TelemetryOptions = { tracer: provider.getTracer("test") };
const transports = new TransportRegistry().register(new TcpYamuxTransport());
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

async function listen(router: Router): Promise<Server> {
  const server = new Server({ dispatcher: router, serverAddress: "icerpc://127.0.0.1:0?transport=tcp-yamux", transports });
  await server.listen();
  return server;
}

describe("telemetry over tcp-yamux", () => {
  test("a trace started in a client continues through a server that calls a second server", async () => {
    let fieldAtB: Uint8Array | undefined;
    let baggageAtB: string | undefined;
    await using serverB = await listen(
      new Router().use(telemetryMiddleware(options)).map("/b", (request) => {
        fieldAtB = request.fields.get(RequestFieldKey.TraceContext);
        baggageAtB = propagation.getBaggage(context.active())?.getEntry("user")?.value;
        return new OutgoingResponse();
      }),
    );
    await using connectionToB = new ClientConnection({ serverAddress: serverB.serverAddress!, transports });
    const pipelineToB = new Pipeline().use(telemetryInterceptor(options)).into(connectionToB);
    await using serverA = await listen(
      new Router().use(telemetryMiddleware(options)).map("/a", async () => {
        const response = await pipelineToB.invoke(
          new OutgoingRequest(new ServiceAddress({ path: "/b", serverAddress: serverB.serverAddress! }), { operation: "second" }),
        );
        await response.payload.readAll();
        return new OutgoingResponse();
      }),
    );
    await using connectionToA = new ClientConnection({ serverAddress: serverA.serverAddress!, transports });
    const pipeline = new Pipeline().use(telemetryInterceptor(options)).into(connectionToA);

    const tracer = provider.getTracer("app");
    const withBaggage = propagation.setBaggage(context.active(), propagation.createBaggage({ user: { value: "alice" } }));
    const rootTraceId = await context.with(withBaggage, () =>
      tracer.startActiveSpan("root", async (root) => {
        const response = await pipeline.invoke(
          new OutgoingRequest(new ServiceAddress({ path: "/a", serverAddress: serverA.serverAddress! }), { operation: "first" }),
        );
        expect(response.statusCode).toBe(StatusCode.Ok);
        await response.payload.readAll();
        root.end();
        return root.spanContext().traceId;
      }),
    );

    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((span) => [`${span.name} ${SpanKind[span.kind]}`, span]));
    expect([...byName.keys()].sort()).toEqual([
      "/a/first CLIENT",
      "/a/first SERVER",
      "/b/second CLIENT",
      "/b/second SERVER",
      "root INTERNAL",
    ]);
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([rootTraceId]));
    const parentOf = (key: string) => byName.get(key)!.parentSpanContext?.spanId;
    const idOf = (key: string) => byName.get(key)!.spanContext().spanId;
    expect(parentOf("/a/first CLIENT")).toBe(idOf("root INTERNAL"));
    expect(parentOf("/a/first SERVER")).toBe(idOf("/a/first CLIENT"));
    expect(parentOf("/b/second CLIENT")).toBe(idOf("/a/first SERVER"));
    expect(parentOf("/b/second SERVER")).toBe(idOf("/b/second CLIENT"));
    expect(byName.get("/a/first SERVER")!.attributes).toEqual({
      "rpc.system": "icerpc",
      "rpc.service": "/a",
      "rpc.method": "first",
      "rpc.response.status_code": "Ok",
    });

    // The bytes of field 1 that reached B are the binary trace context of A's client span, with the baggage.
    expect(baggageAtB).toBe("alice");
    const expected = new SliceEncoder();
    encodeTraceContext(expected, { spanContext: byName.get("/b/second CLIENT")!.spanContext(), baggage: [["user", "alice"]] });
    expect(fieldAtB).toEqual(expected.finish());
  });

  test("a malformed trace context fails the dispatch with InvalidData", async () => {
    await using server = await listen(new Router().use(telemetryMiddleware(options)).map("/a", () => new OutgoingResponse()));
    await using connection = new ClientConnection({ serverAddress: server.serverAddress!, transports });
    const response = await connection.invoke(
      new OutgoingRequest(new ServiceAddress({ path: "/a", serverAddress: server.serverAddress! }), {
        operation: "first",
        fields: new Map([[RequestFieldKey.TraceContext, Uint8Array.of(0, 1, 2)]]),
      }),
    );
    expect(response.statusCode).toBe(StatusCode.InvalidData);
    await response.payload.readAll();
  });

  test("without a tracer provider nor an active span, no trace context is sent; an error status fails the span", async () => {
    let received: Uint8Array | undefined;
    await using server = await listen(
      new Router().use(telemetryMiddleware(options)).map("/a", (request) => {
        received = request.fields.get(RequestFieldKey.TraceContext);
        return new OutgoingResponse({ statusCode: StatusCode.Unavailable, errorMessage: "down" });
      }),
    );
    await using connection = new ClientConnection({ serverAddress: server.serverAddress!, transports });
    const pipeline = new Pipeline().use(telemetryInterceptor()).into(connection);
    exporter.reset();
    const response = await pipeline.invoke(
      new OutgoingRequest(new ServiceAddress({ path: "/a", serverAddress: server.serverAddress! }), { operation: "first" }),
    );
    expect(response.statusCode).toBe(StatusCode.Unavailable);
    await response.payload.readAll();
    expect(received).toBeUndefined();
    const [serverSpan] = exporter.getFinishedSpans();
    expect(serverSpan!.status).toEqual({ code: SpanStatusCode.ERROR, message: "down" });
    expect(serverSpan!.parentSpanContext).toBeUndefined();
  });
});
