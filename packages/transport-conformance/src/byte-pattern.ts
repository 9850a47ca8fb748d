// Bound once: the pattern loops are hot, and in jest's VM context every lookup of a global such as `Math` is slow.
const { imul } = Math;

/**
 * Test data whose every byte depends on a seed and on its offset in the stream, so that lost, duplicated, reordered
 * or swapped bytes are detected, and data meant for one stream cannot pass for another's. (A pattern repeating every
 * 256 bytes, or the same payload written again and again, would let a reordered or repeated chunk go unnoticed.)
 */
export function patternByte(seed: number, offset: number): number {
  // A 32-bit integer hash (murmur3's finalizer) of seed and offset.
  let x = imul(offset ^ imul(seed + 1, 0x9e3779b1), 0x85ebca6b);
  x ^= x >>> 13;
  x = imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x & 0xff;
}

/** Fills `target` with the pattern of `seed` from `startOffset` on, and returns it. */
export function fillPattern(target: Uint8Array, seed: number, startOffset: number): Uint8Array {
  for (let i = 0; i < target.length; i++) {
    target[i] = patternByte(seed, startOffset + i);
  }
  return target;
}

/** `length` bytes of the pattern of `seed` from `startOffset` on. */
export function patternBytes(seed: number, startOffset: number, length: number): Uint8Array {
  return fillPattern(new Uint8Array(length), seed, startOffset);
}

/**
 * Checks that `data` is the pattern of `seed` from `startOffset` on. Returns undefined when it is, or a description
 * of the first wrong byte, for assertions such as `expect(patternMismatch(...)).toBeUndefined()`.
 */
export function patternMismatch(data: Uint8Array, seed: number, startOffset: number): string | undefined {
  for (let i = 0; i < data.length; i++) {
    const expected = patternByte(seed, startOffset + i);
    if (data[i] !== expected) {
      return `byte at stream offset ${startOffset + i} (seed ${seed}) is ${data[i]} instead of ${expected}`;
    }
  }
  return undefined;
}
