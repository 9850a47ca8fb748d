// The compressor: 10 MB of compressible payload crosses a tcp-yamux socket compressed both ways and arrives
// identical; peers without it still work; both codecs (node:zlib and CompressionStream) agree.
import { afterEach, describe, expect, test } from "@jest/globals";
import {
  compressFeature,
  compressionStreamCodec,
  compressorInterceptor,
  compressorMiddleware,
  zlibCodec,
  type CompressionCodec,
} from "@icerpc-ts/compressor";
import {
  CompressionFormat,
  OutgoingRequest,
  OutgoingResponse,
  RequestFieldKey,
  Router,
  StatusCode,
  type ServerAddress,
} from "@icerpc-ts/core";
import { TcpProxy } from "@icerpc-ts/net-test-support";

import { Fixture } from "../src/index.js";

const fixture = new Fixture();
const proxies: TcpProxy<ServerAddress>[] = [];
afterEach(async () => {
  await fixture.dispose();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.dispose()));
});

const tenMegabytes = 10 * 1024 * 1024;

/** Text-like bytes: lines that repeat with a counter, as logs or JSON do. */
function compressible(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const encoder = new TextEncoder();
  for (let offset = 0, line = 0; offset < size; line++) {
    const { written } = encoder.encodeInto(`{"line":${line},"message":"the quick brown fox"}\n`, bytes.subarray(offset));
    offset += written;
  }
  return bytes;
}

/** Echoes the request payload; asks for a compressed response when `compressResponse`. */
function echoRouter(options: { compressor: boolean; compressResponse: boolean }): Router {
  const router = new Router();
  if (options.compressor) {
    router.use(compressorMiddleware());
  }
  return router.map("/echo", async (request) => {
    const payload = await request.payload.readAll();
    request.features.set(compressFeature, options.compressResponse);
    return new OutgoingResponse({ payload });
  });
}

function echoRequest(target: string, payload: Uint8Array, compress: boolean): OutgoingRequest {
  const request = new OutgoingRequest(`${target}/echo`, { operation: "echo", payload });
  request.features.set(compressFeature, compress);
  return request;
}

async function* once(chunk: Uint8Array): AsyncGenerator<Uint8Array> {
  yield chunk;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) {
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

describe("compressor end to end over tcp-yamux", () => {
  test("a compressible 10 MB payload crosses the socket compressed both ways and arrives identical", async () => {
    const address = await fixture.server(echoRouter({ compressor: true, compressResponse: true }), "tcp-yamux");
    const proxy = await TcpProxy.start(address);
    proxies.push(proxy);
    const target = `icerpc://127.0.0.1:${proxy.address.port}`;
    const pipeline = fixture.pipeline(`${target}?transport=tcp-yamux`, compressorInterceptor());
    const payload = compressible(tenMegabytes);
    const response = await pipeline.invoke(echoRequest(`${target}`, payload, true));
    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(response.fields.get(RequestFieldKey.CompressionFormat)).toEqual(new Uint8Array([CompressionFormat.Brotli]));
    const echoed = await response.payload.readAll();
    expect(Buffer.from(echoed).equals(Buffer.from(payload))).toBe(true);
    // Everything that crossed the socket, headers and multiplexer frames included, is a small part of the payload.
    expect(proxy.bytesToServer).toBeLessThan(tenMegabytes / 10);
    expect(proxy.bytesToClient).toBeLessThan(tenMegabytes / 10);
  });

  test("without the feature, or with a peer that has no compressor, payloads go as they are", async () => {
    const plain = await fixture.server(echoRouter({ compressor: false, compressResponse: true }), "tcp-yamux");
    const proxy = await TcpProxy.start(plain);
    proxies.push(proxy);
    const target = `icerpc://127.0.0.1:${proxy.address.port}`;
    const pipeline = fixture.pipeline(`${target}?transport=tcp-yamux`, compressorInterceptor());
    const payload = compressible(100_000);
    const response = await pipeline.invoke(echoRequest(target, payload, false));
    expect(Buffer.from(await response.payload.readAll()).equals(Buffer.from(payload))).toBe(true);
    expect(proxy.bytesToServer).toBeGreaterThan(payload.length);

    // A client without the interceptor, a server with the middleware that was not asked to compress.
    const compressing = await fixture.server(echoRouter({ compressor: true, compressResponse: false }), "tcp-yamux");
    const other = `icerpc://127.0.0.1:${compressing.port}?transport=tcp-yamux`;
    const plainResponse = await fixture.pipeline(other).invoke(echoRequest(`icerpc://127.0.0.1:${compressing.port}`, payload, true));
    expect(plainResponse.fields.has(RequestFieldKey.CompressionFormat)).toBe(false);
    expect(Buffer.from(await plainResponse.payload.readAll()).equals(Buffer.from(payload))).toBe(true);
  });

  test("Deflate works too, and a payload continuation is compressed with the payload", async () => {
    const address = await fixture.server(echoRouter({ compressor: true, compressResponse: false }), "tcp-yamux");
    const target = `icerpc://127.0.0.1:${address.port}`;
    const pipeline = fixture.pipeline(`${target}?transport=tcp-yamux`, compressorInterceptor({ format: CompressionFormat.Deflate }));
    const head = compressible(50_000);
    const tail = compressible(70_000);
    const request = echoRequest(target, head, true);
    request.payloadContinuation = once(tail);
    const response = await pipeline.invoke(request);
    expect(Buffer.from(await response.payload.readAll()).equals(Buffer.concat([head, tail]))).toBe(true);
  });
});

describe("compressor with bad input", () => {
  test("a request compressed with an unknown format gets NotSupported; invalid compressed bytes get InvalidData", async () => {
    const address = await fixture.server(echoRouter({ compressor: true, compressResponse: false }));
    const target = `icerpc://${address.host}`;
    const pipeline = fixture.pipeline(`${target}?transport=memory`);
    const unknown = new OutgoingRequest(`${target}/echo?transport=memory`, {
      operation: "echo",
      fields: new Map([[RequestFieldKey.CompressionFormat, new Uint8Array([9])]]),
    });
    expect((await pipeline.invoke(unknown)).statusCode).toBe(StatusCode.NotSupported);
    const garbage = new OutgoingRequest(`${target}/echo?transport=memory`, {
      operation: "echo",
      payload: new Uint8Array([0xff, 0xff, 0xff, 0xff]),
      fields: new Map([[RequestFieldKey.CompressionFormat, new Uint8Array([CompressionFormat.Brotli])]]),
    });
    expect((await pipeline.invoke(garbage)).statusCode).toBe(StatusCode.InvalidData);
  });
});

describe("codecs", () => {
  const formats: [string, CompressionCodec, CompressionFormat][] = [
    ["zlib Deflate", zlibCodec, CompressionFormat.Deflate],
    ["zlib Brotli", zlibCodec, CompressionFormat.Brotli],
    ["CompressionStream Deflate", compressionStreamCodec, CompressionFormat.Deflate],
  ];

  test.each(formats)("%s round-trips, and decodes what the other codec wrote", async (_, codec, format) => {
    const data = compressible(300_000);
    const compressed = await collect(codec.compress(format, once(data)));
    expect(compressed.length).toBeLessThan(data.length / 5);
    for (const other of [zlibCodec, compressionStreamCodec].filter((c) => c.supports(format))) {
      expect((await collect(other.decompress(format, once(compressed)))).equals(Buffer.from(data))).toBe(true);
    }
  });
});
