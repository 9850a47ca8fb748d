import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";

/** The message of proto/echo.proto as grpc-js presents it. */
export interface EchoMessage {
  payload: Uint8Array;
}

/** The generated client of the `bench.Echo` service. */
export interface EchoServiceClient extends grpc.Client {
  Echo(request: EchoMessage, callback: grpc.requestCallback<EchoMessage>): grpc.ClientUnaryCall;
}

/** The `bench.Echo` service of proto/echo.proto, loaded with @grpc/proto-loader. */
export function loadEchoService(): grpc.ServiceClientConstructor {
  const protoPath = fileURLToPath(new URL("../../proto/echo.proto", import.meta.url));
  const loaded = grpc.loadPackageDefinition(protoLoader.loadSync(protoPath));
  return (loaded.bench as grpc.GrpcObject).Echo as grpc.ServiceClientConstructor;
}
