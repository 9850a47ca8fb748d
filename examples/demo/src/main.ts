import {
  ClientConnection,
  formatServerAddress,
  OutgoingRequest,
  Router,
  Server,
  ServiceAddress,
  StatusCode,
} from "@icerpc-ts/core";
import { SliceDecoder } from "@icerpc-ts/core/codec";
import { demoServerAddress } from "./config.js";
import { encodeName, greeter } from "./greeter.js";
import { installedTransports } from "./transports.js";

const transports = installedTransports();
const requestedAddress = demoServerAddress();

const server = new Server({
  dispatcher: new Router().map("/hello.Greeter", greeter),
  serverAddress: requestedAddress,
  transports,
});
const serverAddress = await server.listen();
const address = formatServerAddress(serverAddress);
console.log(`server listening on ${address}`);

const connection = new ClientConnection({ serverAddress, transports });
try {
  const information = await connection.connect();
  console.log(
    `client connected from ${information.localNetworkAddress.host}:${information.localNetworkAddress.port} ` +
      `to ${information.remoteNetworkAddress.host}:${information.remoteNetworkAddress.port}`,
  );
  const greeterAddress = new ServiceAddress({ protocol: "icerpc", path: "/hello.Greeter", serverAddress });
  for (const name of ["World", "icerpc", "TypeScript"]) {
    const response = await connection.invoke(new OutgoingRequest(greeterAddress, { operation: "greet", payload: encodeName(name) }));
    const payload = await response.payload.readAll();
    if (response.statusCode !== StatusCode.Ok) {
      throw new Error(`greet failed: ${response.errorMessage}`);
    }
    console.log(`greet("${name}") -> "${new SliceDecoder(payload).decodeString()}"`);
  }
  await connection.shutdown();
  console.log("client connection shut down gracefully");
} finally {
  await connection.dispose();
  await server.shutdown();
  await server.dispose();
  console.log("server shut down");
}
