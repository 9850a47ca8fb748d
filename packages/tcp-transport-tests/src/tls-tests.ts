// TLS: certificate validation on by default, hostname checks, mutual TLS, the application protocol, and what
// connections report.
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { connect as tlsConnect } from "node:tls";

import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { testCertificates } from "@icerpc-ts/net-test-support";

import { errorOf, Fixture, options } from "./fixture.js";
import type { TcpTransportUnderTest } from "./transport-under-test.js";

/** The DER bytes of a PEM certificate. */
function der(pem: string): Uint8Array {
  return new Uint8Array(new X509Certificate(pem).raw);
}

export function tlsTests(transport: TcpTransportUnderTest): void {
  describe(`${transport.name} TLS`, () => {
    const fixture = new Fixture(transport);
    const create = transport.createTransport.bind(transport);

    test("the connection information reports the TLS protocol, cipher and the peer's certificate", async () => {
      const { ca, server } = testCertificates();
      const { clientInformation, serverInformation } = await fixture.connectPair(
        create({ clientTls: { ca } }),
        create({ serverTls: server }),
      );
      expect(clientInformation.tls?.protocol).toBe("TLSv1.3");
      expect(clientInformation.tls?.cipher).toMatch(/^TLS_/);
      expect(clientInformation.tls?.peerCertificate).toEqual(der(server.cert));
      // The client presented no certificate.
      expect(serverInformation.tls?.protocol).toBe("TLSv1.3");
      expect(serverInformation.tls?.peerCertificate).toBeUndefined();
    });

    test("plain TCP connections report no TLS", async () => {
      const transport = create();
      const { clientInformation, serverInformation } = await fixture.connectPair(transport, transport);
      expect(clientInformation.tls).toBeUndefined();
      expect(serverInformation.tls).toBeUndefined();
      expect(serverInformation.remoteNetworkAddress).toEqual(clientInformation.localNetworkAddress);
    });

    test("an untrusted server certificate is rejected", async () => {
      const { ca, untrusted } = testCertificates();
      const error = await fixture.failedConnect(
        create({ clientTls: { ca } }),
        create({ serverTls: untrusted }),
      );
      expect(IceRpcError[error.error]).toBe("IceRpcError");
      expect(error.message).toMatch(/TLS failed: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      expect(error.message).toMatch(/give the CA certificate that signed it .* as clientTls\.ca\./);
      expect((error.cause as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    });

    test("a certificate trusted by nobody is rejected even without a CA option (Node's root CAs)", async () => {
      const { server } = testCertificates();
      const error = await fixture.failedConnect(create({ clientTls: {} }), create({ serverTls: server }));
      expect(error.message).toMatch(/TLS failed: unable to verify the first certificate/);
      expect(error.message).toMatch(/as clientTls\.ca\./);
    });

    test("a certificate for another host is rejected, unless servername names that host", async () => {
      const { ca, wrongHost } = testCertificates();
      const server = create({ serverTls: wrongHost });
      const error = await fixture.failedConnect(create({ clientTls: { ca } }), server);
      expect(error.message).toMatch(/TLS failed: hostname mismatch: .*127\.0\.0\.1.* \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
      expect(error.message).toMatch(/give that name as clientTls\.servername\./);

      const { clientInformation } = await fixture.connectPair(
        create({ clientTls: { ca, servername: "other.example" } }),
        server,
      );
      expect(clientInformation.tls?.peerCertificate).toEqual(der(wrongHost.cert));
    });

    test("mutual TLS: the server verifies the client's certificate and reports it", async () => {
      const { ca, server, client } = testCertificates();
      const { serverInformation } = await fixture.connectPair(
        create({ clientTls: { ca, ...client } }),
        create({ serverTls: { ...server, ca, requestCert: true } }),
      );
      expect(serverInformation.tls?.peerCertificate).toEqual(der(client.cert));
    });

    test("a server that requires a client certificate rejects a client without one, or with an untrusted one", async () => {
      const { ca, server, untrusted } = testCertificates();
      const serverTransport = create({ serverTls: { ...server, ca, requestCert: true } });

      const withoutCertificate = await fixture.failedConnect(create({ clientTls: { ca } }), serverTransport);
      expect(withoutCertificate.message).toMatch(/TLS failed: tlsv13 alert certificate required/);
      expect(withoutCertificate.message).toMatch(/give one as clientTls\.cert, with its clientTls\.key\./);

      const withUntrusted = await fixture.failedConnect(
        create({ clientTls: { ca, ...untrusted } }),
        serverTransport,
      );
      // Node's TLS server checks the certificate after the TLS 1.3 handshake the client already completed, and closes
      // the connection without an alert: the client only sees it end.
      expect(IceRpcError[withUntrusted.error]).toBe("ConnectionAborted");
      expect(withUntrusted.message).toMatch(/closed the connection after the TLS handshake.* does not trust this one/);
    });

    test("a plain client that reaches a TLS server is told the address and that the server may expect TLS", async () => {
      const { server } = testCertificates();
      const error = await fixture.failedConnect(create(), create({ serverTls: server }));
      expect(IceRpcError[error.error]).toBe("ConnectionAborted");
      expect(error.message).toMatch(
        /^Cannot connect to 127\.0\.0\.1:\d+: the server closed the connection without answering\. It may expect TLS: give the transport clientTls options/,
      );
      expect(error.cause).toBeInstanceOf(IceRpcException);
    });

    test("a TLS client that reaches a plain server is told that the server may expect plain TCP", async () => {
      const { ca } = testCertificates();
      const error = await fixture.failedConnect(create({ clientTls: { ca } }), create());
      expect(error.message).toMatch(/^Cannot connect to 127\.0\.0\.1:\d+: TLS failed: .*it may expect plain TCP/);
    });

    test("TLS connections report the application protocol (ALPN) the transport negotiates", async () => {
      const { ca, server } = testCertificates();
      const { clientInformation, serverInformation } = await fixture.connectPair(
        create({ clientTls: { ca } }),
        create({ serverTls: server }),
      );
      expect(clientInformation.tls?.applicationProtocol).toBe(transport.applicationProtocol);
      expect(serverInformation.tls?.applicationProtocol).toBe(transport.applicationProtocol);
    });

    const { applicationProtocol } = transport;
    if (applicationProtocol !== undefined) {
      test(`a TLS client that offers only another application protocol than ${applicationProtocol} is refused`, async () => {
        const { ca, server } = testCertificates();
        const listener = fixture.track(await create({ serverTls: server }).listen(fixture.address(), options));
        const { host, port } = listener.address;
        const socket = tlsConnect({ host, port, ca, ALPNProtocols: ["h2"] });
        fixture.onCleanup(async () => socket.destroy());
        const error = await errorOf(once(socket, "secureConnect"));
        expect((error as { code?: string }).code).toBe("ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL");
      });

      test("a TLS client that offers no application protocol is accepted, as IceRPC C# accepts it", async () => {
        const { ca, server } = testCertificates();
        const listener = fixture.track(await create({ serverTls: server }).listen(fixture.address(), options));
        const { host, port } = listener.address;
        const socket = tlsConnect({ host, port, ca });
        fixture.onCleanup(async () => socket.destroy());
        await once(socket, "secureConnect");
        expect(socket.alpnProtocol).toBe(false);
        const { connection, remoteNetworkAddress } = await listener.accept();
        fixture.track(connection);
        expect(remoteNetworkAddress.port).toBe(socket.localPort);
      });
    }
  });
}
