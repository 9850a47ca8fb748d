export { Fixture, type TestTransport } from "./fixture.js";
