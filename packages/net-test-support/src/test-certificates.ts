// Test certificates, made with openssl at test time in a temporary directory: a CA, certificates it signs (a server
// certificate for localhost and the loopback addresses, a client certificate, a server certificate for another host),
// and a self-signed server certificate nobody trusts. P-256 keys keep generation and handshakes fast.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KeyPair {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
}

export interface TestCertificates {
  /** The CA certificate (PEM) that signs `server`, `client` and `wrongHost`. */
  readonly ca: string;
  /** For localhost, 127.0.0.1 and ::1. */
  readonly server: KeyPair;
  /** A client certificate for mutual TLS. */
  readonly client: KeyPair;
  /** Signed by the CA, but for other.example only. */
  readonly wrongHost: KeyPair;
  /** Self-signed, for localhost and 127.0.0.1: valid but from nobody the tests trust. */
  readonly untrusted: KeyPair;
}

let certificates: TestCertificates | undefined;

/** The test certificates, made on first use. */
export function testCertificates(): TestCertificates {
  certificates ??= makeCertificates();
  return certificates;
}

function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "tcp-yamux-certs-"));
  try {
    const file = (name: string): string => join(dir, name);
    const openssl = (...args: string[]): void => {
      execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    };
    const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    const selfSigned = (name: string, subject: string, extensions: string[]): KeyPair => {
      openssl("req", "-x509", ...newKey, "-keyout", file(`${name}.key`), "-out", file(`${name}.crt`), "-days", "3650",
        "-subj", subject, ...extensions.flatMap((extension) => ["-addext", extension]));
      return read(name);
    };
    const signed = (name: string, subject: string, extensions: string): KeyPair => {
      writeFileSync(file(`${name}.ext`), extensions);
      openssl("req", ...newKey, "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", subject);
      openssl("x509", "-req", "-in", file(`${name}.csr`), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
        "-set_serial", `0x${Math.floor(Math.random() * 2 ** 48).toString(16)}`, "-days", "3650",
        "-out", file(`${name}.crt`), "-extfile", file(`${name}.ext`));
      return read(name);
    };
    const read = (name: string): KeyPair => ({
      cert: readFileSync(file(`${name}.crt`), "utf8"),
      key: readFileSync(file(`${name}.key`), "utf8"),
    });

    const ca = selfSigned("ca", "/CN=tcp-yamux test CA", ["basicConstraints=critical,CA:TRUE", "keyUsage=keyCertSign"]);
    return {
      ca: ca.cert,
      server: signed("server", "/CN=localhost",
        "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n"),
      client: signed("client", "/CN=tcp-yamux test client", "extendedKeyUsage=clientAuth\n"),
      wrongHost: signed("wrong-host", "/CN=other.example",
        "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n"),
      untrusted: selfSigned("untrusted", "/CN=localhost", ["subjectAltName=DNS:localhost,IP:127.0.0.1"]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
