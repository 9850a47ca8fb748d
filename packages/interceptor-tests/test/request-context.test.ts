// The request context: byte-compatible with IceRPC C# (its golden bytes), and carried from client to service.
import { readFileSync } from "node:fs";

import { afterEach, describe, expect, test } from "@jest/globals";
import { OutgoingRequest, OutgoingResponse, RequestFieldKey, Router, StatusCode, type IncomingRequest } from "@icerpc-ts/core";
import { SliceDecoder, SliceEncoder } from "@icerpc-ts/core/codec";
import {
  decodeRequestContext,
  encodeRequestContext,
  requestContextFeature,
  requestContextInterceptor,
  requestContextMiddleware,
} from "@icerpc-ts/request-context";

import { Fixture } from "../src/index.js";

interface GoldenEntry {
  readonly id: string;
  readonly headerHex: string;
}

const golden = JSON.parse(
  readFileSync(new URL("../../../../shared/reference/golden/csharp-icerpc.json", import.meta.url), "utf8"),
) as { entries: GoldenEntry[] };
const withContext = golden.entries.find((entry) => entry.id === "icerpc.request.twoway.echo-with-context")!;

/** The value of field `key` in a golden request header: path, operation, then the fields. */
function goldenField(headerHex: string, key: number): Uint8Array {
  const decoder = new SliceDecoder(Buffer.from(headerHex, "hex"));
  decoder.decodeString();
  decoder.decodeString();
  for (let count = decoder.decodeSize(); count > 0; count--) {
    const fieldKey = decoder.decodeVarUInt62();
    const value = decoder.decodeBytes(decoder.decodeSize());
    if (fieldKey === key) {
      return value;
    }
  }
  throw new Error(`No field ${key} in the golden header.`);
}

const fixture = new Fixture();
afterEach(() => fixture.dispose());

function recordingService(seen: IncomingRequest[]): Router {
  return new Router().use(requestContextMiddleware()).map("/ctx", (request) => {
    seen.push(request);
    return new OutgoingResponse();
  });
}

describe("request context", () => {
  test("decodes the context IceRPC C# sent, and encodes the same bytes", () => {
    const value = goldenField(withContext.headerHex, RequestFieldKey.Context);
    const context = decodeRequestContext(value);
    expect(context).toEqual(new Map([["k", "v"]]));
    const encoder = new SliceEncoder();
    encodeRequestContext(encoder, context);
    expect(Buffer.from(encoder.finish()).toString("hex")).toBe(Buffer.from(value).toString("hex"));
  });

  test("the interceptor's field crosses a connection and the middleware sets the feature", async () => {
    const seen: IncomingRequest[] = [];
    const address = await fixture.server(recordingService(seen));
    const pipeline = fixture.pipeline(address, requestContextInterceptor());
    const request = new OutgoingRequest(`icerpc://${address.host}/ctx?transport=memory`, { operation: "op" });
    const context = new Map([["tenant", "acme"], ["é", "ünïcödé"]]);
    request.features.set(requestContextFeature, context);
    const response = await pipeline.invoke(request);
    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(seen[0]!.features.get(requestContextFeature)).toEqual(context);
  });

  test("an empty context removes the field; no feature leaves the fields alone", async () => {
    const seen: IncomingRequest[] = [];
    const address = await fixture.server(recordingService(seen));
    const pipeline = fixture.pipeline(address, requestContextInterceptor());
    const target = `icerpc://${address.host}/ctx?transport=memory`;
    const emptied = new OutgoingRequest(target, { operation: "op", fields: new Map([[RequestFieldKey.Context, new Uint8Array([4, 4, 0x6b, 4, 0x76])]]) });
    emptied.features.set(requestContextFeature, new Map());
    await pipeline.invoke(emptied);
    await pipeline.invoke(new OutgoingRequest(target, { operation: "op" }));
    expect(seen.map((request) => request.fields.has(RequestFieldKey.Context))).toEqual([false, false]);
  });

  test("a context field that does not decode gets InvalidData", async () => {
    const seen: IncomingRequest[] = [];
    const address = await fixture.server(recordingService(seen));
    const pipeline = fixture.pipeline(address);
    const request = new OutgoingRequest(`icerpc://${address.host}/ctx?transport=memory`, {
      operation: "op",
      fields: new Map([[RequestFieldKey.Context, new Uint8Array([8, 4, 0x6b])]]),
    });
    const response = await pipeline.invoke(request);
    expect(response.statusCode).toBe(StatusCode.InvalidData);
    expect(response.errorMessage).toMatch(/Invalid request context field/);
    expect(seen).toHaveLength(0);
  });
});
