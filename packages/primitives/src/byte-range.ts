/**
 * V8 keeps typed arrays of up to 64 bytes on its heap, where they cost a fraction of a microsecond to create. The
 * first time such an array's `buffer` is asked for, which `subarray` and `new DataView` do, V8 moves its storage off
 * the heap: an allocation of a microsecond or more, far more than copying a few bytes.
 */
export const ON_HEAP_ARRAY_LIMIT = 64;

/**
 * Bytes `start` to `end` of `bytes`: a copy up to {@link ON_HEAP_ARRAY_LIMIT} bytes, which is cheaper than a view
 * of a small array, and a view (no copy) beyond. Callers must not rely on either: the result is theirs to read.
 */
export function byteRange(bytes: Uint8Array, start: number, end: number = bytes.length): Uint8Array {
  return end - start <= ON_HEAP_ARRAY_LIMIT ? bytes.slice(start, end) : bytes.subarray(start, end);
}
