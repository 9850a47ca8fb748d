import { expect, test } from "@jest/globals";
import { IceRpcError, InvalidOperationError } from "@icerpc-ts/core";
import type { StreamInput } from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";

import { patternBytes, patternMismatch } from "./byte-pattern.js";
import type { ConformanceFixture } from "./conformance-fixture.js";
import { asPromise, expectIceRpcError, handledLater } from "./operation-outcomes.js";

const KiB = 1024;

/** Reads `input` to its end as a reader that prefers `tryRead` does: `read` only when `tryRead` cannot answer. */
async function readAllTrying(input: StreamInput): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    let chunk = input.tryRead();
    if (chunk === undefined) {
      chunk = await input.read();
    }
    if (chunk === null) {
      return concatBytes(chunks);
    }
    chunks.push(chunk);
  }
}

/** Declares the tests of `StreamInput.tryRead`, the synchronous read (not in the C# suite, which has no such call). */
export function declareStreamTryReadTests(fixture: ConformanceFixture): void {
  test("tryRead returns undefined while nothing was received", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    expect(remote.input.tryRead()).toBeUndefined();
    expect(local.input.tryRead()).toBeUndefined();
  });

  test("tryRead and read together return every byte in order, then the end, and tryRead keeps returning it", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream({ bidirectional: false });
    const size = 256 * KiB;
    const writing = handledLater(
      (async () => {
        for (let offset = 0; offset < size; offset += 16 * KiB) {
          local.output.write(patternBytes(0, offset, 16 * KiB));
          await local.output.flush();
        }
        return local.output.end();
      })(),
    );
    const received = await readAllTrying(remote.input);
    expect(await writing).toBe("flushed");
    expect(received.length).toBe(size);
    expect(patternMismatch(received, 0, 0)).toBeUndefined();
    expect(remote.input.tryRead()).toBeNull();
    expect(await remote.input.read()).toBeNull();
  });

  test("tryRead leaves the bytes to a pending read", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    const reading = handledLater(remote.input.read());
    expect(remote.input.tryRead()).toBeUndefined();
    local.output.write(Uint8Array.of(0xab));
    await local.output.flush();
    expect(Array.from((await reading) ?? [])).toEqual([0xab]);
  });

  test("tryRead returns the end of stream once the peer's end was read", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    await local.output.end();
    expect(await remote.input.read()).toBeNull();
    expect(remote.input.tryRead()).toBeNull();
  });

  test("tryRead leaves the input's abort to read", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    local.output.write(Uint8Array.of(0xab));
    await local.output.flush();
    remote.input.abort();
    expect(remote.input.tryRead()).toBeUndefined();
    await expect(asPromise(() => remote.input.read())).rejects.toBeInstanceOf(InvalidOperationError);
  });

  test("tryRead leaves the peer's abort to read", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    local.output.abort();
    await expectIceRpcError(remote.input.read(), IceRpcError.TruncatedData);
    expect(remote.input.tryRead()).toBeUndefined();
    await expectIceRpcError(remote.input.read(), IceRpcError.TruncatedData);
  });

  test("tryRead leaves the connection's failure to read", async () => {
    const sut = await fixture.connect();
    const { remote } = await sut.createAndAcceptStream();
    await sut.server.dispose();
    expect(remote.input.tryRead()).toBeUndefined();
    await expectIceRpcError(remote.input.read(), IceRpcError.OperationAborted);
  });
}
