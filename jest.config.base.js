// Shared jest configuration: TypeScript is transpiled by swc (type checking is `tsc -b`), and tests run as
// native ES modules (jest needs `--experimental-vm-modules` for that; the package scripts pass it).
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "es6" },
      },
    ],
  },
  // Sources import siblings as `./x.js` (NodeNext style); jest resolves the `.ts` file.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  setupFiles: [new URL("./jest.setup.js", import.meta.url).pathname],
  verbose: true,
  // Every package's run ends with a summary of its failing tests, however few suites it has.
  reporters: [["default", { summaryThreshold: 0 }]],
  // A test waits for events, and its own bounds name what did not happen; this only catches a hang they miss, and
  // leaves room for a CI machine that runs every package's suites at once on two cores.
  testTimeout: 30_000,
};
