// @icerpc-ts/core/internal: for this repository's protocol test suite, which drives both sides of an icerpc
// connection over transport connections it creates itself. Not an API: it changes without notice. Applications
// create client protocol connections with ClientProtocolConnectionFactory.
export { resolveConnectionOptions } from "./connection/connection-options.js";
export { IceRpcProtocolConnection } from "./connection/icerpc/icerpc-protocol-connection.js";
