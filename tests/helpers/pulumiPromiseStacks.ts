/**
 * Loaded by mocha before any test file (.mocharc.json `require`, after tsx). Pulumi's runtime tags
 * every promise it makes with `new Error().stack`, for its leaked-promise report; under tsx, source
 * maps are on, so each of those stacks is mapped frame by frame — about half the CPU of a program run
 * under mocks, and some 5 s of the suite, for text no test reads. Here the stack is captured with no
 * frames. Nothing else changes: the promise, its id, its context and the leak bookkeeping are Pulumi's
 * own. With PULUMI_DEBUG_PROMISE_LEAKS set (Pulumi then prints those stacks) it is left alone, and if
 * a Pulumi release drops this internal, the tests just run at the old speed.
 */
type Debuggable = { debuggablePromise?: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>; debugPromiseLeaks?: boolean };

const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
const original = debuggable.debuggablePromise;
if (typeof original === "function" && !debuggable.debugPromiseLeaks) {
    debuggable.debuggablePromise = (p, ctx) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}
