// Jest runs each test file in its own VM context, whose `Symbol` lacks the disposal symbols Node 20 gives its main
// context. Use Node's own symbols there too, so that `[Symbol.asyncDispose]` methods and `await using` behave in
// tests as they do in applications.
Symbol.asyncDispose ??= Symbol.for("nodejs.asyncDispose");
Symbol.dispose ??= Symbol.for("nodejs.dispose");
