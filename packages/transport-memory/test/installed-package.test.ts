import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@jest/globals";

const run = promisify(execFile);
const packagesDir = resolve(import.meta.dirname, "../..");

// What a user writes after `npm install @icerpc-ts/core @icerpc-ts/transport-memory`.
const userProgram = `
import { ClientConnection, OutgoingRequest, OutgoingResponse, Router, Server, ServiceAddress, TransportRegistry } from "@icerpc-ts/core";
import { MemoryTransport } from "@icerpc-ts/transport-memory";

const transports = new TransportRegistry().register(new MemoryTransport());
const router = new Router().map("/echo", async (request) => new OutgoingResponse({ payload: await request.payload.readAll() }));
const server = new Server({ dispatcher: router, serverAddress: "icerpc://installed?transport=memory", transports });
const serverAddress = await server.listen();
const connection = new ClientConnection({ serverAddress, transports });
const target = new ServiceAddress({ protocol: "icerpc", path: "/echo", serverAddress });
const response = await connection.invoke(new OutgoingRequest(target, { operation: "echo", payload: new TextEncoder().encode("installed") }));
console.log(new TextDecoder().decode(await response.payload.readAll()));
await connection.shutdown();
await server.shutdown();
`;

test(
  "core, primitives and transport-memory work when installed from their packed tarballs into a project outside the workspace",
  async () => {
    const project = await mkdtemp(join(tmpdir(), "icerpc-ts-installed-"));
    try {
      const tarballs: Record<string, string> = {};
      for (const name of ["primitives", "core", "transport-memory"]) {
        const { stdout } = await run("pnpm", ["pack", "--pack-destination", project], { cwd: join(packagesDir, name) });
        const tarball = (await readdir(project)).find((file) => file.endsWith(".tgz") && stdout.includes(file));
        expect(tarball).toBeDefined();
        tarballs[name] = `file:./${tarball}`;
      }
      await writeFile(
        join(project, "package.json"),
        JSON.stringify({
          name: "installed-check",
          private: true,
          type: "module",
          dependencies: { "@icerpc-ts/core": tarballs.core, "@icerpc-ts/transport-memory": tarballs["transport-memory"] },
          // The packages' dependencies on each other must resolve to the tarballs, not to a registry.
          overrides: { "@icerpc-ts/core": tarballs.core, "@icerpc-ts/primitives": tarballs.primitives },
        }),
      );
      await writeFile(join(project, "main.mjs"), userProgram);
      await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: project });
      const { stdout } = await run("node", ["main.mjs"], { cwd: project });
      expect(stdout.trim()).toBe("installed");
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  },
  120_000,
);
