// Slic version 1, IceRPC's QUIC-like multiplexer, over any byte channel: browser-safe, wire-compatible with IceRPC C#.
export { SlicConnection, type SlicConnectionConfig, type SlicRole } from "./slic-connection.js";
export { defaultSlicOptions, resolveSlicOptions, type SlicOptions } from "./slic-options.js";
export { slicMultiplexer } from "./slic-multiplexer.js";
