/** Thrown by an operation on an object that was disposed (C#'s `ObjectDisposedException`). */
export class ObjectDisposedError extends Error {
  override readonly name = "ObjectDisposedError";

  constructor(objectName: string, options?: { cause?: unknown }) {
    super(`Cannot use the ${objectName}: it was disposed.`, options);
  }
}

/** Thrown when an API is called in a state that does not allow it, e.g. creating a stream before connecting. */
export class InvalidOperationError extends Error {
  override readonly name = "InvalidOperationError";
}

/** Thrown by decoders when bytes received from a peer do not form a valid value (C#'s `InvalidDataException`). */
export class InvalidDataError extends Error {
  override readonly name = "InvalidDataError";
}
