/** The pieces of an `icerpc:` URI, split but not yet validated against server or service address rules. */
export interface UriParts {
  readonly scheme: string | undefined;
  /** `undefined` when the URI has no `//authority`. */
  readonly authority: { readonly host: string; readonly port: number | undefined } | undefined;
  readonly path: string;
  /** Query parameters in order, raw (still percent-encoded). */
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly fragment: string | undefined;
}

const schemePattern = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

// C# IceRPC's rules: 0x21..0x7E minus `" < > # & = \ ^ { | }` and backtick for names; values also allow `=`.
const forbiddenInParamName = new Set([..."\"<>#&=\\^{|}`"]);
/** 1 for the character codes a path may hold: a table, not a Set of strings, as every request's path is checked. */
const allowedInPath = new Uint8Array(128);
for (let code = 0x21; code <= 0x7e; code++) {
  allowedInPath[code] = 1;
}
for (const c of "\"<>#?\\^{|}`") {
  allowedInPath[c.charCodeAt(0)] = 0;
}

function isVisibleAscii(code: number): boolean {
  return code >= 0x21 && code <= 0x7e;
}

export function isValidParamName(name: string): boolean {
  return name.length > 0 && [...name].every((c) => isVisibleAscii(c.charCodeAt(0)) && !forbiddenInParamName.has(c));
}

export function isValidParamValue(value: string): boolean {
  return [...value].every((c) => c === "=" || (isVisibleAscii(c.charCodeAt(0)) && !forbiddenInParamName.has(c)));
}

/** Throws `TypeError` naming the first of `params` that a URI query cannot hold as given; `owner` names their owner. */
export function checkParams(params: Readonly<Record<string, string>>, owner: string): void {
  for (const [name, value] of Object.entries(params)) {
    if (!isValidParamName(name) || !isValidParamValue(value)) {
      throw new TypeError(`Invalid ${owner} parameter '${name}=${value}': percent-encode what a URI forbids.`);
    }
  }
}

/**
 * True for a valid icerpc request path: starts with `/`, only visible ASCII, none of `" < > # ? \ ^ { | }` nor the
 * backtick (anything else must be percent-encoded).
 */
export function isValidPath(path: string): boolean {
  if (!path.startsWith("/")) {
    return false;
  }
  for (let i = 0; i < path.length; i++) {
    if (allowedInPath[path.charCodeAt(i)] !== 1) {
      return false;
    }
  }
  return true;
}

/** Splits `uri`; throws `TypeError` with the reason when it is not a URI icerpc can use. */
export function splitUri(uri: string, separator = "&"): UriParts {
  let rest = uri;
  let scheme: string | undefined;
  const schemeMatch = schemePattern.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1]!.toLowerCase();
    rest = rest.slice(schemeMatch[0].length);
  }

  let fragment: string | undefined;
  const hashAt = rest.indexOf("#");
  if (hashAt >= 0) {
    fragment = rest.slice(hashAt + 1);
    rest = rest.slice(0, hashAt);
  }
  let rawQuery: string | undefined;
  const queryAt = rest.indexOf("?");
  if (queryAt >= 0) {
    rawQuery = rest.slice(queryAt + 1);
    rest = rest.slice(0, queryAt);
  }

  let authority: UriParts["authority"];
  if (rest.startsWith("//")) {
    const pathAt = rest.indexOf("/", 2);
    const rawAuthority = pathAt >= 0 ? rest.slice(2, pathAt) : rest.slice(2);
    rest = pathAt >= 0 ? rest.slice(pathAt) : "";
    authority = parseAuthority(rawAuthority, uri);
  }

  return { scheme, authority, path: rest, query: parseQuery(rawQuery, separator, uri), fragment };
}

function parseAuthority(raw: string, uri: string): { host: string; port: number | undefined } {
  if (raw.includes("@")) {
    throw new TypeError(`Invalid address '${uri}': user information is not allowed.`);
  }
  let host: string;
  let portText: string | undefined;
  if (raw.startsWith("[")) {
    const close = raw.indexOf("]");
    if (close < 0) {
      throw new TypeError(`Invalid address '${uri}': unterminated IPv6 address.`);
    }
    host = raw.slice(1, close);
    const after = raw.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) {
      throw new TypeError(`Invalid address '${uri}': unexpected characters after the IPv6 address.`);
    }
    portText = after === "" ? undefined : after.slice(1);
    if (!host.includes(":")) {
      throw new TypeError(`Invalid address '${uri}': '${host}' is not an IPv6 address.`);
    }
  } else {
    const colon = raw.lastIndexOf(":");
    host = colon >= 0 ? raw.slice(0, colon) : raw;
    portText = colon >= 0 ? raw.slice(colon + 1) : undefined;
    if (host.includes(":")) {
      throw new TypeError(`Invalid address '${uri}': '${host}' is not a valid host (an IPv6 address goes in brackets).`);
    }
  }
  const problem = hostProblem(host);
  if (problem !== undefined) {
    throw new TypeError(`Invalid address '${uri}': ${problem}.`);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
      throw new TypeError(`Invalid address '${uri}': '${portText}' is not a port number (0 to 65535).`);
    }
    port = Number(portText);
  }
  return { host: host.toLowerCase(), port };
}

/**
 * What is wrong with `host`, a host name or an IP address (IPv6 without its brackets), or undefined when it is valid.
 */
export function hostProblem(host: string): string | undefined {
  if (host === "") {
    return "the host is empty";
  }
  if (host.includes(":")) {
    return /^[0-9a-fA-F:.]+$/.test(host) ? undefined : `'${host}' is not an IPv6 address`;
  }
  return /^[A-Za-z0-9._~%!$&'()*+,;=-]*$/.test(host) ? undefined : `'${host}' is not a valid host`;
}

function parseQuery(raw: string | undefined, separator: string, uri: string): Array<[string, string]> {
  if (raw === undefined || raw === "") {
    return [];
  }
  const params: Array<[string, string]> = [];
  for (const pair of raw.split(separator)) {
    const equals = pair.indexOf("=");
    const name = equals >= 0 ? pair.slice(0, equals) : pair;
    const value = equals >= 0 ? pair.slice(equals + 1) : "";
    if (!isValidParamName(name)) {
      throw new TypeError(`Invalid address '${uri}': '${name}' is not a valid parameter name.`);
    }
    if (name !== "alt-server" && !isValidParamValue(value)) {
      throw new TypeError(`Invalid address '${uri}': '${value}' is not a valid value for parameter '${name}'.`);
    }
    if (params.some(([existing]) => existing === name)) {
      throw new TypeError(`Invalid address '${uri}': parameter '${name}' appears more than once.`);
    }
    params.push([name, value]);
  }
  return params;
}
