// A connect that fails after its byte channel opened lets the channel's source explain the failure, as a TCP
// source explains a plain client's failure against a TLS server.
import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { defaultMultiplexedConnectionOptions } from "@icerpc-ts/core/transport";
import { memoryChannelPair } from "@icerpc-ts/net-test-support";

import { SlicConnection } from "../src/index.js";

const information = {
  localNetworkAddress: { host: "client", port: 1 },
  remoteNetworkAddress: { host: "server", port: 1 },
};

describe("connect failure", () => {
  test("a handshake the peer ends is reported as the source explains it, with the failure as its cause", async () => {
    const [clientChannel, serverChannel] = memoryChannelPair();
    const explained: unknown[] = [];
    const client = new SlicConnection({
      role: "client",
      source: {
        open: () => Promise.resolve({ channel: clientChannel, information }),
        discard: () => clientChannel.close(),
        explainConnectFailure: (error) => {
          explained.push(error);
          return new IceRpcException(IceRpcError.ConnectionAborted, "The server may expect TLS.", { cause: error });
        },
      },
      options: defaultMultiplexedConnectionOptions,
      label: "slic client connection",
    });
    serverChannel.start({ data: () => {}, end: () => {}, error: () => {} });
    const connecting = client.connect();
    serverChannel.end();
    const error = await connecting.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(IceRpcException);
    expect((error as IceRpcException).message).toBe("The server may expect TLS.");
    expect(explained).toHaveLength(1);
    expect((error as IceRpcException).cause).toBe(explained[0]);
    expect((explained[0] as IceRpcException).error).toBe(IceRpcError.ConnectionAborted);
    await client.dispose();
  });

  test("a source that fails to open is not asked to explain: it already said what failed", async () => {
    const refused = new IceRpcException(IceRpcError.ConnectionRefused, "Refused.");
    let asked = false;
    const client = new SlicConnection({
      role: "client",
      source: {
        open: () => Promise.reject(refused),
        discard: () => {},
        explainConnectFailure: (error) => {
          asked = true;
          return error;
        },
      },
      options: defaultMultiplexedConnectionOptions,
      label: "slic client connection",
    });
    await expect(client.connect()).rejects.toBe(refused);
    expect(asked).toBe(false);
    await client.dispose();
  });
});
