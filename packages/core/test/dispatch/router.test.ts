import { describe, expect, test } from "@jest/globals";
import {
  DispatchException,
  IncomingPayload,
  IncomingRequest,
  InvalidOperationError,
  OutgoingResponse,
  Router,
  StatusCode,
  type ConnectionContext,
  type Dispatcher,
} from "../../src/index.js";

const context: ConnectionContext = {
  invoker: { invoke: () => Promise.reject(new Error("not used")) },
  transportConnectionInformation: { localNetworkAddress: { host: "a", port: 1 }, remoteNetworkAddress: { host: "b", port: 2 } },
  transportName: "test",
  isServer: true,
  closed: new Promise(() => {}),
};

function request(path: string): IncomingRequest {
  return new IncomingRequest({ path, operation: "op", isOneway: false, fields: new Map(), payload: new IncomingPayload(), connectionContext: context });
}

/** A dispatcher that answers with its name in the error message, to see who handled a request. */
function named(name: string): Dispatcher {
  return { dispatch: () => new OutgoingResponse({ statusCode: StatusCode.ApplicationError, errorMessage: name }) };
}

async function route(router: Router, path: string): Promise<string | undefined> {
  const response = await router.dispatch(request(path));
  return response.statusCode === StatusCode.NotFound ? "NotFound" : response.errorMessage;
}

describe("Router", () => {
  test("map matches the exact path only", async () => {
    const router = new Router().map("/hello", named("hello"));
    expect(await route(router, "/hello")).toBe("hello");
    expect(await route(router, "/hello/x")).toBe("NotFound");
    expect(await route(router, "/hell")).toBe("NotFound");
  });

  test("mount matches whole leading segments, the longest first, and '/' matches everything", async () => {
    const router = new Router().mount("/", named("root")).mount("/a", named("a")).mount("/a/b", named("ab"));
    expect(await route(router, "/a/b/c")).toBe("ab");
    expect(await route(router, "/a/bc")).toBe("a");
    expect(await route(router, "/a")).toBe("a");
    expect(await route(router, "/z")).toBe("root");
  });

  test("an exact match wins over a mounted prefix", async () => {
    const router = new Router().mount("/a", named("prefix")).map("/a", named("exact"));
    expect(await route(router, "/a")).toBe("exact");
  });

  test("route creates a sub-router whose paths are relative to its prefix", async () => {
    const router = new Router().route("/admin", (admin) => admin.map("/users", named("users")));
    expect(await route(router, "/admin/users")).toBe("users");
    expect(await route(router, "/users")).toBe("NotFound");
    expect(await route(router, "/admin/other")).toBe("NotFound");
  });

  test("a path with too many segments for a prefix match is InvalidData", async () => {
    const router = new Router().mount("/x", named("x"));
    const deep = "/" + Array.from({ length: 12 }, (_, i) => `s${i}`).join("/");
    await expect(route(router, deep)).rejects.toThrow(DispatchException);
  });

  test("middleware wraps the routing in order, the first added outermost", async () => {
    const calls: string[] = [];
    const trace = (name: string) => (next: Dispatcher): Dispatcher => ({
      dispatch: (req) => {
        calls.push(name);
        return next.dispatch(req);
      },
    });
    const router = new Router().use(trace("outer")).use(trace("inner")).map("/a", named("a"));
    expect(await route(router, "/a")).toBe("a");
    expect(calls).toEqual(["outer", "inner"]);
    expect(() => router.use(trace("late"))).toThrow(InvalidOperationError);
  });

  test("rejects invalid paths when mapping", () => {
    expect(() => new Router().map("no-slash", named("x"))).toThrow(TypeError);
  });
});
