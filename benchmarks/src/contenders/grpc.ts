import * as grpc from "@grpc/grpc-js";
import { checkEcho, type Contender, type EchoClient } from "../contender.js";
import { startServerProcess, type ServerProcess } from "../server-process.js";
import { loadEchoService, type EchoMessage, type EchoServiceClient } from "./grpc-echo-service.js";

/** The baseline: @grpc/grpc-js unary calls over one insecure HTTP/2 channel. */
export const grpcJs: Contender = {
  label: "@grpc/grpc-js",
  kind: "grpc",
  serverPlacement: "separate process",
  async start() {
    const server = await startServerProcess(new URL("./grpc-server.js", import.meta.url), []);
    try {
      const EchoService = loadEchoService();
      // proto-loader builds clients at run time, untyped: EchoServiceClient states what proto/echo.proto defines.
      const client = new EchoService(server.address, grpc.credentials.createInsecure()) as unknown as EchoServiceClient;
      await new Promise<void>((resolve, reject) => {
        client.waitForReady(Date.now() + 10_000, (error) => (error === undefined ? resolve() : reject(error)));
      });
      return new GrpcClient(client, server);
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};

class GrpcClient implements EchoClient {
  readonly #client: EchoServiceClient;
  readonly #server: ServerProcess;

  constructor(client: EchoServiceClient, server: ServerProcess) {
    this.#client = client;
    this.#server = server;
  }

  async call(payload: Uint8Array): Promise<void> {
    const response = await new Promise<EchoMessage>((resolve, reject) => {
      this.#client.Echo({ payload }, (error, reply) => (error === null && reply !== undefined ? resolve(reply) : reject(error)));
    });
    checkEcho(payload, response.payload);
  }

  async close(): Promise<void> {
    this.#client.close();
    await this.#server.stop();
  }
}
