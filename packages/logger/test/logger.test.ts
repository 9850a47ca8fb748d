import { Console } from "node:console";
import { Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
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
import { MemoryTransport } from "@icerpc-ts/transport-memory";
import { pino } from "pino";
import { loggerInterceptor, loggerMiddleware, type LogFields, type Logger } from "../src/index.js";

const secret = "secret-payload-4242";
const encode = (text: string) => new TextEncoder().encode(text);

class CollectingStream extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

class CapturingLogger implements Logger {
  readonly lines: { fields: LogFields; message: string }[] = [];
  info(fields: LogFields, message: string): void {
    this.lines.push({ fields, message });
  }
}

/** A client pipeline and a server router over the memory transport, each logging to its own logger. */
async function withLoggedServer(
  clientLogger: Logger,
  serverLogger: Logger,
  run: (pipeline: Pipeline, target: (path: string) => ServiceAddress) => Promise<void>,
): Promise<void> {
  const transports = new TransportRegistry().register(new MemoryTransport());
  const router = new Router()
    .use(loggerMiddleware(serverLogger))
    .map("/echo", async (request) => new OutgoingResponse({ payload: await request.payload.readAll() }))
    .map(
      "/unavailable",
      () => new OutgoingResponse({ statusCode: StatusCode.Unavailable, errorMessage: "Try another replica." }),
    )
    .map("/crash", () => {
      throw new Error("the service crashed");
    });
  await using server = new Server({ dispatcher: router, serverAddress: "icerpc://logger?transport=memory", transports });
  const serverAddress = await server.listen();
  await using connection = new ClientConnection({ serverAddress, transports });
  const pipeline = new Pipeline().use(loggerInterceptor(clientLogger)).into(connection);
  await run(pipeline, (path) => new ServiceAddress({ path, serverAddress }));
}

function secretRequest(target: ServiceAddress): OutgoingRequest {
  return new OutgoingRequest(target, {
    operation: "op",
    payload: encode(secret),
    fields: new Map([[RequestFieldKey.Context, encode(secret)]]),
  });
}

describe("logger interceptor and middleware", () => {
  test("log one line per invocation and per dispatch, with addresses and status, without payloads or fields", async () => {
    const client = new CapturingLogger();
    const server = new CapturingLogger();
    await withLoggedServer(client, server, async (pipeline, target) => {
      const ok = await pipeline.invoke(secretRequest(target("/echo")));
      expect(new TextDecoder().decode(await ok.payload.readAll())).toBe(secret);
      const unavailable = await pipeline.invoke(secretRequest(target("/unavailable")));
      expect(unavailable.statusCode).toBe(StatusCode.Unavailable);
      await unavailable.payload.readAll();
    });

    expect(client.lines.map((line) => line.fields.event)).toEqual(["Invoke", "InvokeError"]);
    expect(server.lines.map((line) => line.fields.event)).toEqual(["Dispatch", "DispatchError"]);
    expect(client.lines[0]!.fields).toMatchObject({
      operation: "op",
      serviceAddress: expect.stringContaining("/echo"),
      localNetworkAddress: expect.any(String),
      remoteNetworkAddress: expect.any(String),
    });
    expect(client.lines[1]!.fields).toMatchObject({ statusCode: "Unavailable", errorMessage: "Try another replica." });
    expect(server.lines[1]!.message).toContain("status code Unavailable and error message: Try another replica.");
    expect(server.lines[0]!.fields).toMatchObject({ operation: "op", path: "/echo" });
    expect(JSON.stringify([client.lines, server.lines])).not.toContain(secret);
  });

  test("log the error an invocation throws, by name and message only", async () => {
    const client = new CapturingLogger();
    await withLoggedServer(client, new CapturingLogger(), async (pipeline, target) => {
      const canceled = AbortSignal.abort(new Error("caller gave up"));
      await expect(pipeline.invoke(secretRequest(target("/echo")), canceled)).rejects.toThrow();
    });
    expect(client.lines).toHaveLength(1);
    expect(client.lines[0]!.fields.event).toBe("InvokeException");
    expect(client.lines[0]!.fields.error).toMatch(/^\w+: /);
    expect(client.lines[0]!.message).toContain("Failed to send request op to icerpc://logger");
  });

  test("log the error a dispatch throws", async () => {
    const server = new CapturingLogger();
    await withLoggedServer(new CapturingLogger(), server, async (pipeline, target) => {
      const response = await pipeline.invoke(secretRequest(target("/crash")));
      expect(response.statusCode).toBe(StatusCode.InternalError);
      await response.payload.readAll();
    });
    expect(server.lines.map((line) => line.fields)).toEqual([
      expect.objectContaining({ event: "DispatchException", path: "/crash", error: "Error: the service crashed" }),
    ]);
  });

  test("pino and a console satisfy the logger interface", async () => {
    const pinoSink = new CollectingStream();
    const consoleSink = new CollectingStream();
    const pinoLogger: Logger = pino(pinoSink);
    const consoleLogger: Logger = new Console(consoleSink);
    await withLoggedServer(consoleLogger, pinoLogger, async (pipeline, target) => {
      const response = await pipeline.invoke(secretRequest(target("/echo")));
      await response.payload.readAll();
    });
    expect(JSON.parse(pinoSink.text)).toMatchObject({
      level: 30,
      event: "Dispatch",
      path: "/echo",
      msg: expect.stringContaining("status code Ok"),
    });
    expect(consoleSink.text).toMatch(/event: 'Invoke'.*Sent request op to icerpc:\/\/logger/s);
    expect(pinoSink.text + consoleSink.text).not.toContain(secret);
  });
});
