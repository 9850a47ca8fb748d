// The grpc-js echo server, run in its own process: a unary call returns its request message.
import * as grpc from "@grpc/grpc-js";
import { reportReady } from "../server-child.js";
import { loadEchoService, type EchoMessage } from "./grpc-echo-service.js";

const server = new grpc.Server();
server.addService(loadEchoService().service, {
  Echo: (call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) => {
    callback(null, { payload: call.request.payload });
  },
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error !== null) {
    throw error;
  }
  reportReady(`127.0.0.1:${port}`);
});
