// The deadline: field 3 as .NET ticks, enforced by the client (TimeoutError) and by the server (DeadlineExceeded),
// end to end over tcp-yamux.
import { afterEach, describe, expect, test } from "@jest/globals";
import {
  OutgoingRequest,
  OutgoingResponse,
  RequestFieldKey,
  Router,
  StatusCode,
  type Middleware,
  type ServerAddress,
} from "@icerpc-ts/core";
import { SliceEncoder } from "@icerpc-ts/core/codec";
import {
  deadlineFeature,
  deadlineIn,
  deadlineInterceptor,
  deadlineMiddleware,
  decodeDeadline,
  encodeDeadline,
} from "@icerpc-ts/deadline";
import { Deferred } from "@icerpc-ts/primitives";

import { Fixture } from "../src/index.js";

const fixture = new Fixture();
afterEach(() => fixture.dispose());

/** What the server did with each request: the status the deadline middleware answered, and the dispatch's end. */
interface ServerSide {
  readonly router: Router;
  readonly statuses: (StatusCode | number)[];
  readonly responded: Deferred<void>;
  readonly dispatchAborted: Deferred<unknown>;
}

/** A service that waits until its signal aborts, behind the deadline middleware and a recorder of its answers. */
function stalledService(): ServerSide {
  const statuses: (StatusCode | number)[] = [];
  const responded = new Deferred<void>();
  const dispatchAborted = new Deferred<unknown>();
  const recorder: Middleware = (next) => ({
    async dispatch(request) {
      const response = await next.dispatch(request);
      statuses.push(response.statusCode);
      responded.resolve();
      return response;
    },
  });
  const router = new Router()
    .use(recorder)
    .use(deadlineMiddleware())
    .map("/stall", (request) => {
      return new Promise<OutgoingResponse>((_, reject) => {
        request.signal.addEventListener("abort", () => {
          dispatchAborted.resolve(request.signal.reason);
          reject(request.signal.reason as Error);
        });
      });
    });
  return { router, statuses, responded, dispatchAborted };
}

function stallRequest(address: ServerAddress): OutgoingRequest {
  return new OutgoingRequest(`icerpc://127.0.0.1:${address.port}/stall?transport=tcp-yamux`, { operation: "stall" });
}

describe("deadline field", () => {
  test("encodes as IceRPC C# does: 2026-01-01T00:00Z is 639028224000000000 ticks", () => {
    const encoder = new SliceEncoder();
    const deadline = Date.UTC(2026, 0, 1);
    encodeDeadline(encoder, deadline);
    const bytes = encoder.finish();
    expect(Buffer.from(bytes).toString("hex")).toBe("0000f8b4c848de08");
    expect(decodeDeadline(bytes)).toBe(deadline);
  });
});

describe("deadline end to end over tcp-yamux", () => {
  test("an expired deadline gives DeadlineExceeded on the server and a TimeoutError on the client", async () => {
    const server = stalledService();
    const address = await fixture.server(server.router, "tcp-yamux");
    const pipeline = fixture.pipeline(`icerpc://127.0.0.1:${address.port}?transport=tcp-yamux`, deadlineInterceptor());
    const request = stallRequest(address);
    request.features.set(deadlineFeature, deadlineIn(200));
    const started = Date.now();
    await expect(pipeline.invoke(request)).rejects.toMatchObject({ name: "TimeoutError", message: "The request deadline has expired." });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await server.dispatchAborted.promise;
    await server.responded.promise;
    expect(server.statuses).toEqual([StatusCode.DeadlineExceeded]);
  });

  test("a caller with its own signal gets the server's DeadlineExceeded response", async () => {
    const server = stalledService();
    const address = await fixture.server(server.router, "tcp-yamux");
    const pipeline = fixture.pipeline(`icerpc://127.0.0.1:${address.port}?transport=tcp-yamux`, deadlineInterceptor({ defaultTimeout: 200 }));
    const response = await pipeline.invoke(stallRequest(address), new AbortController().signal);
    expect(response.statusCode).toBe(StatusCode.DeadlineExceeded);
    expect(response.errorMessage).toBe("The request deadline has expired.");
    expect(server.statuses).toEqual([StatusCode.DeadlineExceeded]);
  });

  test("a request whose deadline has passed is not sent; one that arrives expired is not dispatched", async () => {
    const server = stalledService();
    const address = await fixture.server(server.router, "tcp-yamux");
    const client = `icerpc://127.0.0.1:${address.port}?transport=tcp-yamux`;
    const request = stallRequest(address);
    request.features.set(deadlineFeature, Date.now() - 1);
    await expect(fixture.pipeline(client, deadlineInterceptor()).invoke(request)).rejects.toMatchObject({ name: "TimeoutError" });

    const expired = stallRequest(address);
    expired.fields.set(RequestFieldKey.Deadline, (encoder) => encodeDeadline(encoder, Date.now() - 1000));
    const response = await fixture.pipeline(client).invoke(expired);
    expect(response.statusCode).toBe(StatusCode.DeadlineExceeded);
    expect(server.statuses).toEqual([StatusCode.DeadlineExceeded]);
  });

  test("a dispatch that completes in time is answered, with the deadline as its feature", async () => {
    let seen: number | undefined;
    const router = new Router().use(deadlineMiddleware()).map("/fast", (request) => {
      seen = request.features.get(deadlineFeature);
      return new OutgoingResponse();
    });
    const address = await fixture.server(router, "tcp-yamux");
    const pipeline = fixture.pipeline(`icerpc://127.0.0.1:${address.port}?transport=tcp-yamux`, deadlineInterceptor());
    const request = new OutgoingRequest(`icerpc://127.0.0.1:${address.port}/fast?transport=tcp-yamux`, { operation: "op" });
    const deadline = deadlineIn(10_000);
    request.features.set(deadlineFeature, deadline);
    expect((await pipeline.invoke(request)).statusCode).toBe(StatusCode.Ok);
    expect(seen).toBe(deadline);
  });

  test("a deadline field that is not an int64 gets InvalidData; an invalid default timeout throws", async () => {
    const address = await fixture.server(new Router().use(deadlineMiddleware()).map("/x", () => new OutgoingResponse()));
    const request = new OutgoingRequest(`icerpc://${address.host}/x?transport=memory`, {
      operation: "op",
      fields: new Map([[RequestFieldKey.Deadline, new Uint8Array([1, 2, 3])]]),
    });
    const response = await fixture.pipeline(address).invoke(request);
    expect(response.statusCode).toBe(StatusCode.InvalidData);
    expect(() => deadlineInterceptor({ defaultTimeout: 0 })).toThrow(RangeError);
  });
});
