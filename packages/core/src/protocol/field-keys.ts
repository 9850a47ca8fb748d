/** The keys of icerpc request fields; a peer may send others, which are kept as numbers. */
export enum RequestFieldKey {
  /** A Slice2-encoded `Dictionary<string, string>` request context. */
  Context = 0,
  /** The binary W3C trace context. */
  TraceContext = 1,
  /** One `CompressionFormat` byte. */
  CompressionFormat = 2,
  /** The absolute deadline, as .NET ticks (int64, 100 ns since 0001-01-01 UTC). */
  Deadline = 3,
  /** Empty: its presence marks the request idempotent. */
  Idempotent = 4,
}

/** The keys of icerpc response fields. */
export enum ResponseFieldKey {
  CompressionFormat = 2,
}

export enum CompressionFormat {
  Deflate = 1,
  Brotli = 2,
}
