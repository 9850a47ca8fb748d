// A test peer that speaks icerpc by hand on a transport connection, and encoders of arbitrary icerpc frames.
export { RawPeer, rawPeerConnectionOptions, sendRawStream, type RawIncomingRequest, type StreamFinish } from "./raw-peer.js";
export { RawReader } from "./raw-reader.js";
export * from "./wire-format.js";
