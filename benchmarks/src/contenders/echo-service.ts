import { OutgoingResponse, Router, type Dispatcher } from "@icerpc-ts/core";

/** The path of the icerpc echo service. */
export const echoPath = "/bench.Echo";

/** Operation `echo`: the response payload is the request payload. */
const echoService: Dispatcher = {
  async dispatch(request) {
    const payload = await request.payload.readAll({ maxBytes: 1 << 20 });
    return new OutgoingResponse({ payload });
  },
};

/** The dispatcher of every icerpc benchmark server: a Router mapping the echo service. */
export function echoRouter(): Router {
  return new Router().map(echoPath, echoService);
}
