package io.gridchain.runtime;

/**
 * Runs one app execution. The seam between the worker (which fetches apps and inputs and reports results)
 * and the sandbox that executes them; {@link WasmRuntime} is the WebAssembly implementation.
 *
 * <p>Implementations never throw for app misbehaviour: traps, timeouts, limits, bad modules and their own
 * host-side failures all come back as an {@link ExecutionResult} with a typed {@link Failure}.
 */
public interface Runtime {
    ExecutionResult run(ExecutionRequest request);
}
