// TLS: certificate validation on by default, hostname checks, mutual TLS, and what connections report.
import { X509Certificate } from "node:crypto";

import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { defaultMultiplexedConnectionOptions } from "@icerpc-ts/core/transport";

import { TcpYamuxTransport } from "../src/index.js";
import { connectPair, type ConnectedPair } from "./support/connected-pair.js";
import { testCertificates } from "@icerpc-ts/net-test-support";
import { loopbackAddress } from "./support/transports.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

async function pair(client: TcpYamuxTransport, server: TcpYamuxTransport): Promise<ConnectedPair> {
  const connected = await connectPair(client, server);
  cleanups.push(() => connected.dispose());
  return connected;
}

/** The client's connect to a listener of `server`, which fails: resolves with the client's error. */
async function failedConnect(client: TcpYamuxTransport, server: TcpYamuxTransport): Promise<IceRpcException> {
  const listener = await server.listen(loopbackAddress(), defaultMultiplexedConnectionOptions);
  cleanups.push(() => listener.dispose());
  // The server side completes or fails its handshake on its own; its connection, if any, is released.
  void listener.accept().then(async ({ connection }) => {
    cleanups.push(() => connection.dispose());
    await connection.connect().catch(() => {});
  }, () => {});
  const connection = client.createConnection(listener.address, defaultMultiplexedConnectionOptions);
  cleanups.push(() => connection.dispose());
  const error: unknown = await connection.connect().then(
    () => new Error("The connection succeeded."),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(IceRpcException);
  return error as IceRpcException;
}

/** The DER bytes of a PEM certificate. */
function der(pem: string): Uint8Array {
  return new Uint8Array(new X509Certificate(pem).raw);
}

describe("tcp-yamux TLS", () => {
  test("the connection information reports the TLS protocol, cipher and the peer's certificate", async () => {
    const { ca, server } = testCertificates();
    const { clientInformation, serverInformation } = await pair(
      new TcpYamuxTransport({ clientTls: { ca } }),
      new TcpYamuxTransport({ serverTls: server }),
    );
    expect(clientInformation.tls?.protocol).toBe("TLSv1.3");
    expect(clientInformation.tls?.cipher).toMatch(/^TLS_/);
    expect(clientInformation.tls?.peerCertificate).toEqual(der(server.cert));
    // The client presented no certificate.
    expect(serverInformation.tls?.protocol).toBe("TLSv1.3");
    expect(serverInformation.tls?.peerCertificate).toBeUndefined();
  });

  test("plain TCP connections report no TLS", async () => {
    const transport = new TcpYamuxTransport();
    const { clientInformation, serverInformation } = await pair(transport, transport);
    expect(clientInformation.tls).toBeUndefined();
    expect(serverInformation.tls).toBeUndefined();
    expect(serverInformation.remoteNetworkAddress).toEqual(clientInformation.localNetworkAddress);
  });

  test("an untrusted server certificate is rejected", async () => {
    const { ca, untrusted } = testCertificates();
    const error = await failedConnect(
      new TcpYamuxTransport({ clientTls: { ca } }),
      new TcpYamuxTransport({ serverTls: untrusted }),
    );
    expect(IceRpcError[error.error]).toBe("IceRpcError");
    expect(error.message).toMatch(/TLS failed: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    expect(error.message).toMatch(/give the CA certificate that signed it .* as clientTls\.ca\./);
    expect((error.cause as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
  });

  test("a certificate trusted by nobody is rejected even without a CA option (Node's root CAs)", async () => {
    const { server } = testCertificates();
    const error = await failedConnect(new TcpYamuxTransport({ clientTls: {} }), new TcpYamuxTransport({ serverTls: server }));
    expect(error.message).toMatch(/TLS failed: unable to verify the first certificate/);
    expect(error.message).toMatch(/as clientTls\.ca\./);
  });

  test("a certificate for another host is rejected, unless servername names that host", async () => {
    const { ca, wrongHost } = testCertificates();
    const server = new TcpYamuxTransport({ serverTls: wrongHost });
    const error = await failedConnect(new TcpYamuxTransport({ clientTls: { ca } }), server);
    expect(error.message).toMatch(/TLS failed: hostname mismatch: .*127\.0\.0\.1.* \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    expect(error.message).toMatch(/give that name as clientTls\.servername\./);

    const { clientInformation } = await pair(
      new TcpYamuxTransport({ clientTls: { ca, servername: "other.example" } }),
      server,
    );
    expect(clientInformation.tls?.peerCertificate).toEqual(der(wrongHost.cert));
  });

  test("mutual TLS: the server verifies the client's certificate and reports it", async () => {
    const { ca, server, client } = testCertificates();
    const { serverInformation } = await pair(
      new TcpYamuxTransport({ clientTls: { ca, ...client } }),
      new TcpYamuxTransport({ serverTls: { ...server, ca, requestCert: true } }),
    );
    expect(serverInformation.tls?.peerCertificate).toEqual(der(client.cert));
  });

  test("a server that requires a client certificate rejects a client without one, or with an untrusted one", async () => {
    const { ca, server, untrusted } = testCertificates();
    const serverTransport = new TcpYamuxTransport({ serverTls: { ...server, ca, requestCert: true } });

    const withoutCertificate = await failedConnect(new TcpYamuxTransport({ clientTls: { ca } }), serverTransport);
    expect(withoutCertificate.message).toMatch(/TLS failed: tlsv13 alert certificate required/);
    expect(withoutCertificate.message).toMatch(/give one as clientTls\.cert, with its clientTls\.key\./);

    const withUntrusted = await failedConnect(
      new TcpYamuxTransport({ clientTls: { ca, ...untrusted } }),
      serverTransport,
    );
    // Node's TLS server checks the certificate after the TLS 1.3 handshake the client already completed, and closes
    // the connection without an alert: the client only sees it end.
    expect(IceRpcError[withUntrusted.error]).toBe("ConnectionAborted");
    expect(withUntrusted.message).toMatch(/closed the connection after the TLS handshake.* does not trust this one/);
  });

  test("a plain client that reaches a TLS server is told the address and that the server may expect TLS", async () => {
    const { server } = testCertificates();
    const error = await failedConnect(new TcpYamuxTransport(), new TcpYamuxTransport({ serverTls: server }));
    expect(IceRpcError[error.error]).toBe("ConnectionAborted");
    expect(error.message).toMatch(
      /^Cannot connect to 127\.0\.0\.1:\d+: the server closed the connection without answering\. It may expect TLS: give the transport clientTls options/,
    );
    expect(error.cause).toBeInstanceOf(IceRpcException);
  });

  test("a TLS client that reaches a plain server is told that the server may expect plain TCP", async () => {
    const { ca } = testCertificates();
    const error = await failedConnect(new TcpYamuxTransport({ clientTls: { ca } }), new TcpYamuxTransport());
    expect(error.message).toMatch(/^Cannot connect to 127\.0\.0\.1:\d+: TLS failed: .*it may expect plain TCP/);
  });
});
