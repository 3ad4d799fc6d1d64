package io.gridchain.runtime;

/** Thrown out of a WASI call to stop an app that wrote more output than its limit. */
final class OutputLimitExceeded extends RuntimeException {

    private final long written;

    OutputLimitExceeded(String message, long written) {
        super(message, null, false, false);
        this.written = written;
    }

    long written() {
        return written;
    }
}
