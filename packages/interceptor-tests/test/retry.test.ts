// The retry interceptor end to end over tcp-yamux: on another replica after Unavailable, never a non-idempotent
// request after ConnectionAborted, an idempotent one again.
import { afterEach, describe, expect, test } from "@jest/globals";
import {
  IceRpcError,
  OutgoingRequest,
  OutgoingResponse,
  RequestFieldKey,
  Router,
  ServiceAddress,
  StatusCode,
  type IncomingRequest,
  type ServerAddress,
} from "@icerpc-ts/core";
import { TcpProxy } from "@icerpc-ts/net-test-support";
import { Deferred } from "@icerpc-ts/primitives";
import { retryInterceptor } from "@icerpc-ts/retry";

import { Fixture } from "../src/index.js";

const fixture = new Fixture();
const proxies: TcpProxy<ServerAddress>[] = [];
afterEach(async () => {
  await fixture.dispose();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.dispose()));
});

/** A replica that answers `statusCode` and keeps the payload of each request it dispatched. */
async function replica(statusCode: StatusCode): Promise<{ address: ServerAddress; payloads: Uint8Array[] }> {
  const payloads: Uint8Array[] = [];
  const router = new Router().map("/svc", async (request) => {
    payloads.push(await request.payload.readAll());
    return new OutgoingResponse({ statusCode });
  });
  return { address: await fixture.server(router, "tcp-yamux"), payloads };
}

function replicatedRequest(replicas: readonly ServerAddress[], payload: Uint8Array | AsyncIterable<Uint8Array>): OutgoingRequest {
  const [serverAddress, ...altServerAddresses] = replicas;
  return new OutgoingRequest(new ServiceAddress({ path: "/svc", serverAddress, altServerAddresses }), { operation: "op", payload });
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

describe("retry over tcp-yamux", () => {
  test("after Unavailable, the request lands on the second replica with the same payload", async () => {
    const first = await replica(StatusCode.Unavailable);
    const second = await replica(StatusCode.Ok);
    const pipeline = fixture.cachePipeline(retryInterceptor());
    const payload = new Uint8Array([1, 2, 3, 4, 5]);
    const response = await pipeline.invoke(replicatedRequest([first.address, second.address], payload));
    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(first.payloads).toEqual([payload]);
    expect(second.payloads).toEqual([payload]);
  });

  test("a streamed payload is replayed to the second replica", async () => {
    const first = await replica(StatusCode.Unavailable);
    const second = await replica(StatusCode.Ok);
    const pipeline = fixture.cachePipeline(retryInterceptor());
    const parts = [new Uint8Array(1000).fill(7), new Uint8Array(2000).fill(8)];
    const response = await pipeline.invoke(replicatedRequest([first.address, second.address], chunks(...parts)));
    expect(response.statusCode).toBe(StatusCode.Ok);
    const expected = Buffer.concat(parts);
    expect(Buffer.from(first.payloads[0]!).equals(expected)).toBe(true);
    expect(Buffer.from(second.payloads[0]!).equals(expected)).toBe(true);
  });

  test("a payload larger than maxPayloadSize, or no other replica, returns the Unavailable response", async () => {
    const first = await replica(StatusCode.Unavailable);
    const second = await replica(StatusCode.Ok);
    const pipeline = fixture.cachePipeline(retryInterceptor({ maxPayloadSize: 100 }));
    const large = await pipeline.invoke(replicatedRequest([first.address, second.address], chunks(new Uint8Array(101))));
    expect(large.statusCode).toBe(StatusCode.Unavailable);
    const alone = await pipeline.invoke(replicatedRequest([first.address], new Uint8Array(1)));
    expect(alone.statusCode).toBe(StatusCode.Unavailable);
    expect(first.payloads).toHaveLength(2);
    expect(second.payloads).toHaveLength(0);
  });

  describe("after ConnectionAborted", () => {
    /** A server behind a proxy whose first dispatch waits until the test resets the proxy's connections. */
    async function abortingServer(): Promise<{ proxy: TcpProxy<ServerAddress>; dispatches: IncomingRequest[] }> {
      const dispatches: IncomingRequest[] = [];
      const firstDispatch = new Deferred<void>();
      const router = new Router().map("/svc", (request) => {
        dispatches.push(request);
        if (dispatches.length > 1) {
          return new OutgoingResponse();
        }
        firstDispatch.resolve();
        // The reset ends it: the connection goes away, which aborts the dispatch's signal.
        return new Promise<OutgoingResponse>((_, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason as Error));
        });
      });
      const proxy = await TcpProxy.start(await fixture.server(router, "tcp-yamux"));
      proxies.push(proxy);
      void firstDispatch.promise.then(() => proxy.reset());
      return { proxy, dispatches };
    }

    test("a request that is not idempotent is not sent again", async () => {
      const { proxy, dispatches } = await abortingServer();
      const pipeline = fixture.cachePipeline(retryInterceptor({ maxAttempts: 5 }));
      await expect(pipeline.invoke(replicatedRequest([proxy.address], new Uint8Array(1)))).rejects.toMatchObject({
        error: IceRpcError.ConnectionAborted,
      });
      expect(dispatches).toHaveLength(1);
    });

    test("an idempotent request is sent again and succeeds", async () => {
      const { proxy, dispatches } = await abortingServer();
      const pipeline = fixture.cachePipeline(retryInterceptor());
      const request = replicatedRequest([proxy.address], new Uint8Array(1));
      request.fields.set(RequestFieldKey.Idempotent, new Uint8Array(0));
      const response = await pipeline.invoke(request);
      expect(response.statusCode).toBe(StatusCode.Ok);
      expect(dispatches).toHaveLength(2);
    });
  });

  test("invalid options throw RangeError", () => {
    expect(() => retryInterceptor({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => retryInterceptor({ maxPayloadSize: -1 })).toThrow(RangeError);
  });
});
