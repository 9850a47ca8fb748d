import { describe, expect, test } from "@jest/globals";
import {
  IncomingResponse,
  InvalidOperationError,
  OutgoingRequest,
  Pipeline,
  ServiceAddress,
  StatusCode,
  type Invoker,
} from "../../src/index.js";

const target = ServiceAddress.parse("icerpc://h/x");

describe("Pipeline", () => {
  test("runs interceptors outermost first, then the last invoker", async () => {
    const calls: string[] = [];
    const trace = (name: string) => (next: Invoker): Invoker => ({
      invoke: (request, signal) => {
        calls.push(name);
        return next.invoke(request, signal);
      },
    });
    const pipeline = new Pipeline()
      .use(trace("outer"))
      .use(trace("inner"))
      .into({ invoke: async () => new IncomingResponse({ statusCode: StatusCode.Ok }) });
    const response = await pipeline.invoke(new OutgoingRequest(target, { operation: "op" }));
    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(calls).toEqual(["outer", "inner"]);
  });

  test("an interceptor can turn a request into a one-way request", async () => {
    let sawOneway = false;
    const pipeline = new Pipeline()
      .use((next) => ({ invoke: (request, signal) => ((request.isOneway = true), next.invoke(request, signal)) }))
      .into({ invoke: async (request) => ((sawOneway = request.isOneway), new IncomingResponse({ statusCode: StatusCode.Ok })) });
    await pipeline.invoke(new OutgoingRequest(target, { operation: "op" }));
    expect(sawOneway).toBe(true);
  });

  test("cannot change after the first invocation, and needs a last invoker", async () => {
    expect(() => new Pipeline().invoke(new OutgoingRequest(target, { operation: "op" }))).toThrow(InvalidOperationError);
    const pipeline = new Pipeline().into({ invoke: async () => new IncomingResponse({ statusCode: StatusCode.Ok }) });
    await pipeline.invoke(new OutgoingRequest(target, { operation: "op" }));
    expect(() => pipeline.use((next) => next)).toThrow(InvalidOperationError);
  });

  test("a request cannot target a relative service address", () => {
    expect(() => new OutgoingRequest(ServiceAddress.parse("/x"), { operation: "op" })).toThrow(TypeError);
  });
});
