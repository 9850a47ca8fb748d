import { expect, test } from "@jest/globals";
import { byteRange, concatBytes, ON_HEAP_ARRAY_LIMIT } from "../src/index.js";

test("byteRange copies small ranges and views large ones, with the same bytes either way", () => {
  const bytes = Uint8Array.from({ length: 200 }, (_, i) => i);
  const small = byteRange(bytes, 10, 10 + ON_HEAP_ARRAY_LIMIT);
  expect([...small]).toEqual([...bytes.subarray(10, 10 + ON_HEAP_ARRAY_LIMIT)]);
  expect(small.buffer).not.toBe(bytes.buffer); // a copy: writing to it leaves the source alone
  const large = byteRange(bytes, 10, 11 + ON_HEAP_ARRAY_LIMIT);
  expect(large.buffer).toBe(bytes.buffer); // a view: no copy of large ranges
  expect(large.byteOffset).toBe(10);
  expect(large.length).toBe(ON_HEAP_ARRAY_LIMIT + 1);
  expect([...byteRange(bytes, 150)]).toEqual([...bytes.subarray(150)]);
  expect(byteRange(bytes, 5, 5).length).toBe(0);
});

test("concatBytes joins the parts in order into a new array", () => {
  const parts = [Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)];
  const all = concatBytes(parts);
  expect([...all]).toEqual([1, 2, 3]);
  expect(all.buffer).not.toBe(parts[0]!.buffer);
  expect(concatBytes([]).length).toBe(0);
});
