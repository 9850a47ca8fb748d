// The Node WebSocket transport's own behaviour: addresses and the path parameter, sharing an application's HTTP
// server, TLS verification by default, mutual TLS, and what connections report.
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { describe, expect, test } from "@jest/globals";
import { IceRpcError } from "@icerpc-ts/core";
import type { Listener, TransportConnectionInformation } from "@icerpc-ts/core/transport";
import { testCertificates } from "@icerpc-ts/net-test-support";
import { errorOf, expectIceRpcError, Fixture, options } from "@icerpc-ts/tcp-transport-tests";

import { WebSocketTransport } from "../src/index.js";
import { ws, wss } from "./support/websocket-under-test.js";

function der(pem: string): Uint8Array {
  return new Uint8Array(new X509Certificate(pem).raw);
}

/** Connects a client of `transport` to `listener`, and the server connection it accepts; the client's information. */
async function connectTo(
  fixture: Fixture,
  listener: Listener,
  transport: WebSocketTransport,
): Promise<TransportConnectionInformation> {
  const client = fixture.track(transport.createConnection(listener.address, options));
  const [clientInformation] = await Promise.all([
    client.connect(),
    listener.accept().then(({ connection }) => fixture.track(connection).connect()),
  ]);
  return clientInformation;
}

describe("ws addresses", () => {
  const fixture = new Fixture(ws);

  test("invalid addresses and options are rejected with TypeError and RangeError", () => {
    const transport = new WebSocketTransport();
    const address = fixture.address(4062);
    expect(() => transport.createConnection({ ...address, transport: "wss" }, options)).toThrow(/use \?transport=ws/);
    expect(() => transport.createConnection({ ...address, params: { paht: "/x" } }, options)).toThrow(
      /Unknown parameter 'paht' for transport 'ws': it accepts only path/,
    );
    expect(() => transport.createConnection({ ...address, params: { path: "x" } }, options)).toThrow(TypeError);
    expect(() => transport.createConnection({ ...address, port: 0 }, options)).toThrow(/Invalid port 0/);
    expect(() => new WebSocketTransport({ maxMessageSize: 1000 })).toThrow(RangeError);
    expect(() => new WebSocketTransport({ clientTls: {} })).toThrow(/secure: true/);
  });

  test("a listener takes the WebSockets of its path; a client of another path is refused with the HTTP status", async () => {
    const transport = new WebSocketTransport();
    const listener = fixture.track(
      await transport.listen({ ...fixture.address(), params: { path: "/api/rpc" } }, options),
    );
    expect(listener.address.params).toEqual({ path: "/api/rpc" });
    await connectTo(fixture, listener, transport);

    const wrongPath = fixture.track(transport.createConnection({ ...listener.address, params: {} }, options));
    await expectIceRpcError(wrongPath.connect(), IceRpcError.ConnectionRefused, /answered HTTP 404 .*path parameter/);
  });

  test("a listener shares an application's HTTP server: its port and its other routes", async () => {
    const httpServer: Server = createServer((_request, response) => response.end("other route"));
    httpServer.listen(0, "127.0.0.1");
    await once(httpServer, "listening");
    fixture.onCleanup(async () => {
      httpServer.closeAllConnections();
      httpServer.close();
    });
    const { port } = httpServer.address() as AddressInfo;
    const transport = new WebSocketTransport({ httpServer });
    const listener = fixture.track(await transport.listen(fixture.address(port), options));
    expect(listener.address.port).toBe(port);
    const clientInformation = await connectTo(fixture, listener, new WebSocketTransport());
    expect(clientInformation.remoteNetworkAddress.port).toBe(port);
    const response = await fetch(`http://127.0.0.1:${port}/hello`);
    expect(await response.text()).toBe("other route");
  });

  test("plain ws connections report both addresses and no TLS", async () => {
    const transport = new WebSocketTransport();
    const { clientInformation, serverInformation } = await fixture.connectPair(transport, transport);
    expect(clientInformation.tls).toBeUndefined();
    expect(serverInformation.remoteNetworkAddress).toEqual(clientInformation.localNetworkAddress);
    expect(clientInformation.remoteNetworkAddress).toEqual(serverInformation.localNetworkAddress);
  });
});

describe("wss", () => {
  const fixture = new Fixture(wss);
  const create = wss.createTransport.bind(wss);

  test("the server's certificate is verified by default: one nobody trusts is rejected", async () => {
    const { server, untrusted, ca } = testCertificates();
    const noCa = await fixture.failedConnect(create(), create({ serverTls: server }));
    expect(noCa.message).toMatch(/TLS failed: unable to verify the first certificate/);
    const selfSigned = await fixture.failedConnect(create({ clientTls: { ca } }), create({ serverTls: untrusted }));
    expect(selfSigned.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  test("mutual TLS: the server requires the client's certificate; both sides report TLS and the peer's certificate", async () => {
    const { ca, server, client } = testCertificates();
    const serverTransport = create({ serverTls: { ...server, ca, requestCert: true } });
    const pair = await fixture.connectPair(create({ clientTls: { ca, ...client } }), serverTransport);
    expect(pair.clientInformation.tls).toMatchObject({ protocol: "TLSv1.3", peerCertificate: der(server.cert) });
    expect(pair.serverInformation.tls).toMatchObject({ protocol: "TLSv1.3", peerCertificate: der(client.cert) });

    const withoutCertificate = await fixture.failedConnect(create({ clientTls: { ca } }), serverTransport);
    expect(withoutCertificate.message).toMatch(/certificate required/);
  });

  test("a wss listener without a certificate is rejected", async () => {
    await expect(errorOf(create().listen(fixture.address(), options))).resolves.toBeInstanceOf(TypeError);
  });
});
