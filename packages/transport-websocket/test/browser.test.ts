// icerpc from a real browser: Debian's chromium, driven by playwright-core, loads a page from a Node test server and
// calls it over the browser's own WebSocket, on ws and on wss. The page is bundled here by esbuild from the package's
// browser entry point, and the bundle must hold no Node built-in. No chromium is a failure, never a skip.
import { createHash, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  OutgoingRequest,
  OutgoingResponse,
  Router,
  Server,
  ServiceAddress,
  TransportRegistry,
} from "@icerpc-ts/core";
import { testCertificates } from "@icerpc-ts/net-test-support";
import { Deferred } from "@icerpc-ts/primitives";
import { build } from "esbuild";
import { type BrowserContext, chromium } from "playwright-core";

import { WebSocketTransport } from "../src/index.js";
import { patternChunks, streamedPayloadSize, summarize } from "./browser/payload-pattern.js";
import type { BoundedUploadResults, PageResults } from "./browser/page.js";

const chromiumPath = "/usr/bin/chromium";
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Bundle {
  readonly script: string;
  /** The files bundled. */
  readonly inputs: readonly string[];
}

/** The page script: test/browser/page.ts and what it imports, with the "browser" export condition. */
async function bundlePage(): Promise<Bundle> {
  const result = await build({
    entryPoints: [join(packageDir, "test/browser/page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  return { script: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

/** The base64 SHA-256 of a certificate's public key, as chromium's --ignore-certificate-errors-spki-list takes it. */
function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

interface TestServer {
  readonly pageUrl: string;
  readonly serverAddress: string;
  readonly notified: Promise<string>;
  close(): Promise<void>;
}

/** An HTTP(S) server that serves the page and, on the same port, the icerpc services the page calls. */
async function startServer(script: string, secure: boolean): Promise<TestServer> {
  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    if (request.url === "/page.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else {
      response.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><script type="module" src="/page.js"></script>');
    }
  };
  const { server: certificate } = testCertificates();
  const httpServer = secure ? createHttpsServer(certificate, serve) : createHttpServer(serve);
  httpServer.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  const { port } = httpServer.address() as AddressInfo;
  const scheme = secure ? "wss" : "ws";
  const notified = new Deferred<string>();
  const router = new Router()
    .map("/echo", async (request) => new OutgoingResponse({ payload: await request.payload.readAll() }))
    .map("/notify", async (request) => {
      notified.resolve(decoder.decode(await request.payload.readAll()));
      return new OutgoingResponse();
    })
    .map("/upload", async (request) => {
      const summary = await summarize(request.payload);
      return new OutgoingResponse({ payload: encoder.encode(JSON.stringify(summary)) });
    })
    .map("/download", () => new OutgoingResponse({ payload: patternChunks(streamedPayloadSize) }))
    .map("/callback", async (request) => {
      const callback = new OutgoingRequest(new ServiceAddress({ path: "/browser" }), {
        operation: "ping",
        payload: encoder.encode("the server's callback"),
      });
      const response = await request.connectionContext.invoker.invoke(callback);
      return new OutgoingResponse({ payload: await response.payload.readAll() });
    });
  const serverAddress = `icerpc://127.0.0.1:${port}?transport=${scheme}`;
  const server = new Server({
    dispatcher: router,
    serverAddress,
    transports: new TransportRegistry().register(new WebSocketTransport({ secure, httpServer })),
  });
  await server.listen();
  return {
    pageUrl: `${secure ? "https" : "http"}://127.0.0.1:${port}/`,
    serverAddress,
    notified: notified.promise,
    close: async () => {
      await server.shutdown();
      await server.dispose();
      httpServer.closeAllConnections();
      httpServer.close();
    },
  };
}

describe("icerpc over WebSocket in chromium", () => {
  let bundle: Bundle;
  let userDataDir: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(`No browser at ${chromiumPath}: install Debian's chromium (bash scripts/install-test-tools.sh).`);
    }
    bundle = await bundlePage();
    userDataDir = await mkdtemp(join(tmpdir(), "icerpc-chromium-"));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // The browser trusts its own store only: the test server's certificate is let through by its key's hash.
        `--ignore-certificate-errors-spki-list=${spkiHash(testCertificates().server.cert)}`,
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (userDataDir !== undefined) {
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  test("the browser bundle holds no Node built-in", () => {
    expect(bundle.script).not.toMatch(/\bfrom\s*["']node:|\bimport\(\s*["']node:|require\(\s*["']node:/);
    // The browser entry point, not the Node one with the ws package and tcp-network.
    expect(bundle.inputs.filter((input) => /(^|\/)node_modules\/ws\/|tcp-network|(^|\/)dist\/node\//.test(input))).toEqual([]);
    expect(bundle.inputs.some((input) => input === "dist/browser.js")).toBe(true);
  });

  for (const secure of [false, true]) {
    test(`${secure ? "wss" : "ws"}: two-way, one-way, 10 MB streamed each way, and a callback over the same connection`, async () => {
      const server = await startServer(bundle.script, secure);
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      try {
        await page.goto(server.pageUrl);
        await page.waitForFunction(() => typeof window.runCalls === "function");
        const results: PageResults = await page.evaluate(
          ([address, isSecure]) => window.runCalls(address, isSecure),
          [server.serverAddress, secure] as const,
        );
        expect(pageErrors).toEqual([]);
        expect(results.echoed).toBe("hello");
        expect(await server.notified).toBe("one way from the browser");
        expect(results.uploaded).toEqual({ bytes: streamedPayloadSize, intact: true });
        expect(results.downloaded).toEqual({ bytes: streamedPayloadSize, intact: true });
        expect(results.callback).toBe("browser answers the server's callback");
      } finally {
        await page.close();
        await server.close();
      }
    }, 60_000);
  }

  // Slic's flow control and the bufferedAmount watch both bound it: whichever binds first, it stays under 2 MiB.
  test("a 100 MB upload from the browser keeps what the browser buffers bounded", async () => {
    const server = await startServer(bundle.script, false);
    const page = await browser.newPage();
    try {
      await page.goto(server.pageUrl);
      await page.waitForFunction(() => typeof window.runBoundedUpload === "function");
      const size = 100_000_000;
      const results: BoundedUploadResults = await page.evaluate(
        ([address, bytes]) => window.runBoundedUpload(address, bytes),
        [server.serverAddress, size] as const,
      );
      expect(results.uploaded).toEqual({ bytes: size, intact: true });
      expect(results.maxBufferedAmount).toBeGreaterThan(0);
      expect(results.maxBufferedAmount).toBeLessThan(2 * 1_048_576);
    } finally {
      await page.close();
      await server.close();
    }
  }, 120_000);
});
