import {
  ClientConnection,
  OutgoingRequest,
  Router,
  Server,
  ServiceAddress,
  StatusCode,
} from "@icerpc-ts/core";
import { demoServerAddress } from "./config.js";
import { decodeGreetReturnValue, encodeGreetArguments, GREETER_PATH, greeter } from "./greeter.js";
import { installedTransports } from "./transports.js";

const transports = installedTransports();
const requestedAddress = demoServerAddress();

const server = new Server({
  dispatcher: new Router().map(GREETER_PATH, greeter),
  serverAddress: requestedAddress,
  transports,
});
const serverAddress = await server.listen();
console.log(`server listening on ${serverAddress}`);

const connection = new ClientConnection({ serverAddress, transports });
try {
  const information = await connection.connect();
  console.log(
    `client connected from ${information.localNetworkAddress.host}:${information.localNetworkAddress.port} ` +
      `to ${information.remoteNetworkAddress.host}:${information.remoteNetworkAddress.port}`,
  );
  const greeterAddress = new ServiceAddress({ path: GREETER_PATH, serverAddress });
  for (const name of ["World", "icerpc", "TypeScript"]) {
    const response = await connection.invoke(new OutgoingRequest(greeterAddress, { operation: "greet", payload: encodeGreetArguments(name) }));
    const payload = await response.payload.readAll();
    if (response.statusCode !== StatusCode.Ok) {
      throw new Error(`greet failed: ${response.errorMessage}`);
    }
    console.log(`greet("${name}") -> "${decodeGreetReturnValue(payload)}"`);
  }
  await connection.shutdown();
  console.log("client connection shut down gracefully");
} finally {
  await connection.dispose();
  await server.shutdown();
  await server.dispose();
  console.log("server shut down");
}
