import { IceRpcError, IceRpcException } from "@icerpc-ts/core";

/** What each socket error code means for icerpc (IceRPC's SocketError mapping, reference §2.8). */
const socketErrors: Readonly<Record<string, readonly [IceRpcError, string]>> = {
  ECONNREFUSED: [IceRpcError.ConnectionRefused, "the connection was refused: nothing listens on that port, or a firewall rejects it"],
  ECONNRESET: [IceRpcError.ConnectionAborted, "the connection was reset by the peer"],
  EPIPE: [IceRpcError.ConnectionAborted, "the peer closed the connection while this side was writing"],
  ECONNABORTED: [IceRpcError.ConnectionAborted, "the connection was aborted"],
  EHOSTUNREACH: [IceRpcError.ServerUnreachable, "the host is unreachable"],
  ENETUNREACH: [IceRpcError.ServerUnreachable, "the network is unreachable"],
  ENETDOWN: [IceRpcError.ServerUnreachable, "the network is down"],
  EHOSTDOWN: [IceRpcError.ServerUnreachable, "the host is down"],
  ETIMEDOUT: [IceRpcError.ServerUnreachable, "the connection timed out"],
  ENOTFOUND: [IceRpcError.ServerUnreachable, "the host name could not be resolved"],
  EAI_AGAIN: [IceRpcError.ServerUnreachable, "the host name could not be resolved for now (temporary DNS failure)"],
  EADDRINUSE: [IceRpcError.AddressInUse, "the address is already in use: another listener has it"],
};

/** The verification failures OpenSSL reports for a peer's certificate (X509_V_ERR_* names, as Node codes them). */
const certificateErrors = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_REJECTED",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_CHAIN_TOO_LONG",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "PATH_LENGTH_EXCEEDED",
  "HOSTNAME_MISMATCH",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
]);

const untrustedAdvice =
  "The server's certificate is not signed by a CA this client trusts: give the CA certificate that signed it (the " +
  "server's own certificate if it is self-signed) as clientTls.ca.";

/** What to do about a TLS failure, by its code. */
const tlsAdvice: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: untrustedAdvice,
  SELF_SIGNED_CERT_IN_CHAIN: untrustedAdvice,
  UNABLE_TO_GET_ISSUER_CERT: untrustedAdvice,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: untrustedAdvice,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: untrustedAdvice,
  CERT_UNTRUSTED: untrustedAdvice,
  CERT_HAS_EXPIRED: "The server's certificate has expired: the server must renew it (or this machine's clock is wrong).",
  CERT_NOT_YET_VALID: "The server's certificate is not valid yet: check this machine's clock and the server's.",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "Connect with a host name the certificate names, or give that name as clientTls.servername.",
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    "The server requires a client certificate: give one as clientTls.cert, with its clientTls.key.",
  ERR_SSL_WRONG_VERSION_NUMBER:
    "The server did not answer in TLS: it may expect plain TCP (a transport without clientTls), or this is not its address.",
};

interface NodeError {
  readonly code?: unknown;
  readonly message?: unknown;
  /** OpenSSL's short description, on TLS errors. */
  readonly reason?: unknown;
}

/**
 * The `IceRpcException` for a socket or TLS failure, with the original error as its cause. `context` says what was
 * going on, e.g. "Cannot connect to 127.0.0.1:4062".
 */
export function socketException(error: unknown, context: string): IceRpcException {
  const { code, message, reason } = (typeof error === "object" && error !== null ? error : {}) as NodeError;
  const codeText = typeof code === "string" ? code : undefined;
  const known = codeText === undefined ? undefined : socketErrors[codeText];
  if (known !== undefined) {
    return new IceRpcException(known[0], `${context}: ${known[1]} (${codeText}).`, { cause: error });
  }
  const detail = typeof reason === "string" ? reason : typeof message === "string" ? message : String(error);
  if (codeText !== undefined && isTlsFailure(codeText)) {
    const what = codeText === "ERR_TLS_CERT_ALTNAME_INVALID" ? `hostname mismatch: ${detail}` : detail;
    const advice = tlsAdvice[codeText];
    return new IceRpcException(
      IceRpcError.IceRpcError,
      `${context}: TLS failed: ${what} (${codeText}).${advice === undefined ? "" : ` ${advice}`}`,
      { cause: error },
    );
  }
  return new IceRpcException(
    IceRpcError.IceRpcError,
    `${context}: ${detail}${codeText === undefined ? "" : ` (${codeText})`}.`,
    { cause: error },
  );
}

function isTlsFailure(code: string): boolean {
  return certificateErrors.has(code) || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_");
}
