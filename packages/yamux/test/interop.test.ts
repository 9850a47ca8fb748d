// Interoperability with the reference implementation, hashicorp/yamux (Go, Debian's golang-github-hashicorp-yamux-
// dev), over real TCP, in both roles: concurrent streams, large transfers, FIN, RST, ping, GoAway. Nothing here is
// skipped: without Go the suite fails and says what to install.
import { createHash } from "node:crypto";

import { afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { concatBytes } from "@icerpc-ts/primitives";

import { type YamuxStream, YamuxErrorCode } from "../src/index.js";
import { digest, splitEvery, splitFrames, splitRandomly } from "./support/frames.js";
import { GoPeer, type GoRole, buildGoPeer, goPattern } from "./support/go-peer.js";
import { replay } from "./support/replay.js";
import { decode, pattern, readAll, text } from "./support/sessions.js";

let binary: string;
const peers: GoPeer[] = [];

beforeAll(() => {
  binary = buildGoPeer();
}, 300_000);

afterEach(() => {
  for (const peer of peers.splice(0)) {
    peer.kill();
  }
});

async function start(goRole: GoRole, args: string[] = []): Promise<GoPeer> {
  // The Go peer grants windows of up to 16 MiB, so its WindowUpdates carry large deltas.
  const peer = await GoPeer.start(binary, goRole, ["-window", String(16 * 1024 * 1024), ...args], {
    keepAliveInterval: 0,
  });
  peers.push(peer);
  return peer;
}

const roles: { name: string; goRole: GoRole }[] = [
  { name: "TypeScript client, Go server", goRole: "server" },
  { name: "Go client, TypeScript server", goRole: "client" },
];

describe.each(roles)("$name", ({ goRole }) => {
  test("100 concurrent streams echo their data, each half-closed by a FIN both ways", async () => {
    const peer = await start(goRole);
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const data = pattern(1000 + i * 331, i);
        return digest(await peer.request("echo", data)) === digest(data) ? "ok" : `stream ${i} differs`;
      }),
    );
    expect(results).toEqual(Array(100).fill("ok"));
    expect(peer.session.streamCount).toBe(0);
  }, 60_000);

  // hashicorp/yamux applies a frame's flags before it stores the frame's payload, so a FIN on the Data frame that
  // carries a stream's last bytes lets a Go reader that runs in between see the end with those bytes not yet stored:
  // it reads EOF and loses them. With FIN on the last Data frame, 1 to 3 streams in 1,000 of these lost their last
  // frame (a full 64 KiB frame, then the last 105 bytes with the end: the shape that lost the most).
  test("3,000 streams whose last bytes and end are pending together: Go reads every byte", async () => {
    const peer = await start(goRole);
    const streams = 3000;
    const body = pattern(64 * 1024 + 100, 5);
    const expected = `${body.length} ${createHash("sha256").update(body).digest("hex")}`;
    const lost: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < streams; i = next++) {
          const stream = await peer.session.openStream();
          void stream.write(text("sink\n"));
          void stream.end(body);
          const answer = decode(await readAll(stream)).trim();
          if (answer !== expected) {
            lost.push(`stream ${stream.id}: Go read ${answer.split(" ")[0]} bytes`);
          }
        }
      }),
    );
    expect(lost).toEqual([]);
  }, 60_000);

  test("64 MiB to Go, 64 MiB from Go and 16 MiB echoed arrive intact", async () => {
    const peer = await start(goRole);
    const size = 64 * 1024 * 1024;
    // To Go: Go answers with the byte count and SHA-256 of what it read.
    const block = pattern(1024 * 1024, 9);
    const hash = createHash("sha256");
    const toGo = await peer.session.openStream();
    const began = performance.now();
    await toGo.write(text("sink\n"));
    for (let sent = 0; sent < size; sent += block.length) {
      hash.update(block);
      await toGo.write(new Uint8Array(block));
    }
    void toGo.end();
    expect(decode(await readAll(toGo)).trim()).toBe(`${size} ${hash.digest("hex")}`);
    const toGoSeconds = (performance.now() - began) / 1000;
    // From Go: a pattern both sides compute.
    const fromGo = await peer.session.openStream();
    void fromGo.write(text(`source ${size} 3\n`));
    void fromGo.end();
    let offset = 0;
    let mismatches = 0;
    const fromStart = performance.now();
    for (let chunk = await fromGo.read(); chunk !== null; chunk = await fromGo.read()) {
      for (let i = 0; i < chunk.length; i += 4099) {
        if (chunk[i] !== goPattern(offset + i, 3)) {
          mismatches++;
        }
      }
      offset += chunk.length;
    }
    const fromGoSeconds = (performance.now() - fromStart) / 1000;
    expect(offset).toBe(size);
    expect(mismatches).toBe(0);
    console.log(
      `${goRole === "server" ? "TS client, Go server" : "Go client, TS server"}: ` +
        `to Go ${(64 / toGoSeconds).toFixed(0)} MiB/s, from Go ${(64 / fromGoSeconds).toFixed(0)} MiB/s; ` +
        `receive window ${fromGo.receiveWindow / 1024} KiB`,
    );
    // Echo: both directions at once on one stream.
    const echoed = pattern(16 * 1024 * 1024, 4);
    expect(digest(await peer.request("echo", echoed))).toBe(digest(echoed));
  }, 120_000);

  test("Go opens 100 concurrent streams and 4 of 4 MiB, which the TypeScript side echoes", async () => {
    const peer = await start(goRole);
    peer.echoIncoming();
    expect(await peer.command("open 100 10000")).toBe("ok 100");
    expect(await peer.command("open 4 4194304")).toBe("ok 4");
    // Go answers once it read every echo and sent its FINs; the echoes' own FINs may still be on this side (a race
    // that failed this test in a full run): wait for them, then nothing may be left behind.
    await peer.echoesEnded();
    // Only this command's stream is left (the previous command's may take a moment to go: see waitStreams).
    expect(await peer.command("streams 1")).toBe("streams 1");
  }, 60_000);

  test("a reset from TypeScript reaches Go; a reset from Go reaches TypeScript", async () => {
    const peer = await start(goRole);
    const stream = await peer.session.openStream();
    await stream.write(text("echo\nsome data"));
    expect(decode((await stream.read())!)).toBe("some data");
    stream.reset();
    expect(await peer.command("resets 1")).toBe("resets 1");

    // hashicorp/yamux resets the streams beyond its accept backlog: a peer that accepts none, with a backlog of 2.
    const refusing = await start(goRole, ["-noaccept", "-backlog", "2"]);
    const streams: YamuxStream[] = [];
    for (let i = 0; i < 3; i++) {
      const opened = await refusing.session.openStream();
      await opened.write(text(`stream ${i}`));
      streams.push(opened);
    }
    expect(await streams[2]!.remoteClosed).toBe("reset");
    await expect(streams[2]!.read()).rejects.toMatchObject({ code: YamuxErrorCode.RemoteReset });
    expect(refusing.session.streamCount).toBe(2);
  }, 60_000);

  test("pings both ways", async () => {
    const peer = await start(goRole);
    expect(await peer.session.ping()).toBeGreaterThan(0);
    expect(await peer.command("ping")).toMatch(/^ok \d+$/);
  }, 60_000);

  test("GoAway from Go stops new TypeScript streams; GoAway from TypeScript stops new Go streams", async () => {
    const peer = await start(goRole);
    peer.echoIncoming();
    const before = await peer.session.openStream();
    await before.write(text("echo\nbefore "));
    expect(await peer.command("goaway")).toBe("ok");
    await expect(peer.session.openStream()).rejects.toMatchObject({ code: YamuxErrorCode.RemoteGoAway });
    // A stream opened before the GoAway goes on.
    await before.write(text("and after"));
    void before.end();
    expect(decode(await readAll(before))).toBe("before and after");

    const other = await start(goRole);
    other.echoIncoming();
    const command = await other.session.openStream(); // opened before this side's GoAway, used after it
    other.session.goAway();
    await command.write(text("open 1 10\n"));
    void command.end();
    expect(decode(await readAll(command)).trim()).toBe("error remote end is not accepting connections");
  }, 60_000);

  test("Go ending with GoAway is a close by the peer; without GoAway, an abort", async () => {
    const graceful = await start(goRole);
    const gracefulCommand = graceful.command("exit-goaway").catch(() => "");
    expect((await graceful.session.closed).code).toBe(YamuxErrorCode.RemoteGoAway);
    await gracefulCommand;
    expect(await graceful.exited).toBe(0);

    const abrupt = await start(goRole);
    const abruptCommand = abrupt.command("exit-abort").catch(() => "");
    expect((await abrupt.session.closed).code).toBe(YamuxErrorCode.ChannelEnded);
    await abruptCommand;
    expect(await abrupt.exited).toBe(0);
  }, 60_000);

  test("closing the TypeScript session ends the Go session cleanly", async () => {
    const peer = await start(goRole);
    expect(await peer.command("echo", text("x"))).toBe("x");
    await peer.session.close();
    expect(await peer.exited).toBe(0);
    expect(peer.output).toMatch(/session closed/);
    expect(peer.output).not.toMatch(/\[ERR\]/);
  }, 60_000);

  test("the bytes Go sent, replayed cut at random boundaries and byte by byte, read the same", async () => {
    const peer = await start(goRole);
    peer.echoIncoming();
    expect(await peer.command("echo", text("hello"))).toBe("hello");
    expect((await readAll(await sourceStream(peer, 300_000))).length).toBe(300_000);
    expect(await peer.command("open 3 1000")).toBe("ok 3");
    expect(await peer.command("ping")).toMatch(/^ok/);
    const ending = peer.command("exit-goaway").catch(() => "");
    await peer.session.closed;
    await ending;
    const bytes = concatBytes(peer.channel.received);
    const role = goRole === "server" ? "client" : "server";
    const localStreams = 5; // echo, source, open, ping, exit-goaway
    const expected = await replay(role, localStreams, splitFrames(bytes));
    expect(expected.filter((line) => line.endsWith(" fin")).length).toBe(8); // the 5 commands and Go's 3 streams
    for (const chunks of [splitRandomly(bytes, 1, 100), splitRandomly(bytes, 2, 5000), splitEvery(bytes, 1)]) {
      expect(await replay(role, localStreams, chunks)).toEqual(expected);
    }
  }, 60_000);
});

async function sourceStream(peer: GoPeer, size: number): Promise<YamuxStream> {
  const stream = await peer.session.openStream();
  void stream.write(text(`source ${size} 1\n`));
  void stream.end();
  return stream;
}
