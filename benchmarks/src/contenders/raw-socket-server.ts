// The raw socket echo server, run in its own process: every length-prefixed frame comes back as it came.
import { createServer, type AddressInfo } from "node:net";
import { reportReady } from "../server-child.js";
import { encodeFrame, FrameReader } from "./length-prefixed-frames.js";

const server = createServer((socket) => {
  socket.setNoDelay(true);
  const reader = new FrameReader();
  socket.on("data", (chunk: Buffer) => {
    let payloads: Buffer[];
    try {
      payloads = reader.push(chunk);
    } catch (error) {
      socket.destroy(error as Error);
      return;
    }
    // One write for all the frames of a read, as any server that batches its replies would do.
    socket.cork();
    for (const payload of payloads) {
      socket.write(encodeFrame(payload));
    }
    socket.uncork();
  });
  socket.on("error", () => socket.destroy());
});
server.listen(0, "127.0.0.1", () => {
  reportReady(`127.0.0.1:${(server.address() as AddressInfo).port}`);
});
