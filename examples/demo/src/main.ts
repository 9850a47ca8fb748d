import {
  ClientConnection,
  OutgoingRequest,
  Pipeline,
  Router,
  Server,
  ServiceAddress,
  StatusCode,
} from "@icerpc-ts/core";
import { demoConfig } from "./config.js";
import { decodeGreetReturnValue, encodeGreetArguments, GREETER_PATH, greeter } from "./greeter.js";
import { observability } from "./observability.js";
import { installedTransports } from "./transports.js";

const transports = installedTransports();
const config = demoConfig();
const observed = observability(config);

const router = new Router();
for (const middleware of observed.middleware) {
  router.use(middleware);
}
const server = new Server({
  dispatcher: router.map(GREETER_PATH, greeter),
  serverAddress: config.serverAddress,
  transports,
  ...(observed.serverConnectionObserver === undefined ? {} : { connectionObserver: observed.serverConnectionObserver }),
});
const serverAddress = await server.listen();
console.log(`server listening on ${serverAddress}`);

const connection = new ClientConnection({
  serverAddress,
  transports,
  ...(observed.clientConnectionObserver === undefined ? {} : { connectionObserver: observed.clientConnectionObserver }),
});
const pipeline = new Pipeline();
for (const interceptor of observed.interceptors) {
  pipeline.use(interceptor);
}
pipeline.into(connection);
try {
  const information = await connection.connect();
  console.log(
    `client connected from ${information.localNetworkAddress.host}:${information.localNetworkAddress.port} ` +
      `to ${information.remoteNetworkAddress.host}:${information.remoteNetworkAddress.port}`,
  );
  const greeterAddress = new ServiceAddress({ path: GREETER_PATH, serverAddress });
  for (const name of ["World", "icerpc", "TypeScript"]) {
    const response = await pipeline.invoke(new OutgoingRequest(greeterAddress, { operation: "greet", payload: encodeGreetArguments(name) }));
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
  await observed.shutdown();
}
