// Two connected Slic connections over an in-memory byte channel pair.
import { defaultMultiplexedConnectionOptions, type MultiplexedConnectionOptions } from "@icerpc-ts/core/transport";
import { type MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "@icerpc-ts/net-test-support";

import { SlicConnection, type SlicOptions, type SlicRole } from "../../src/index.js";

export interface SlicPair {
  readonly client: SlicConnection;
  readonly server: SlicConnection;
  dispose(): Promise<void>;
}

function connectionOver(channel: MemoryChannel, role: SlicRole, options: MultiplexedConnectionOptions, slicOptions?: SlicOptions): SlicConnection {
  const information = {
    localNetworkAddress: { host: role, port: 1 },
    remoteNetworkAddress: { host: role === "client" ? "server" : "client", port: 1 },
  };
  return new SlicConnection({
    role,
    source: { open: () => Promise.resolve({ channel, information }), discard: () => channel.close() },
    options,
    ...(slicOptions === undefined ? {} : { slicOptions }),
    label: `slic ${role} connection`,
  });
}

/** Connects a client and a server; `channel` applies to the bytes each side writes. */
export async function connectedSlicPair(
  channel: MemoryChannelOptions = {},
  slicOptions?: SlicOptions,
  options: Partial<MultiplexedConnectionOptions> = {},
): Promise<SlicPair> {
  const [clientChannel, serverChannel] = memoryChannelPair(channel, channel);
  const resolved = { ...defaultMultiplexedConnectionOptions, ...options };
  const client = connectionOver(clientChannel, "client", resolved, slicOptions);
  const server = connectionOver(serverChannel, "server", resolved, slicOptions);
  await Promise.all([client.connect(), server.connect()]);
  return {
    client,
    server,
    dispose: async () => {
      await Promise.all([client.dispose(), server.dispose()]);
    },
  };
}
