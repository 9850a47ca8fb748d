// The icerpc echo server, run in its own process for a network transport named by the first argument.
import { Server, TransportRegistry } from "@icerpc-ts/core";
import { reportReady } from "../server-child.js";
import { echoRouter } from "./echo-service.js";
import { icerpcTransports, loadTransport } from "./icerpc-transports.js";

const name = process.argv[2];
const entry = icerpcTransports.find((candidate) => candidate.name === name);
if (entry === undefined) {
  throw new Error(`Unknown transport '${name}': the transports are ${icerpcTransports.map((t) => t.name).join(", ")}.`);
}
const transport = await loadTransport(entry);
if (transport === undefined) {
  throw new Error(`${entry.packageName} is not installed.`);
}
const server = new Server({
  dispatcher: echoRouter(),
  serverAddress: `icerpc://127.0.0.1:0?transport=${entry.name}`,
  transports: new TransportRegistry().register(transport),
});
reportReady(String(await server.listen()));
