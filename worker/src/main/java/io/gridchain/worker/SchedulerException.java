package io.gridchain.worker;

/**
 * A scheduler call failed: the scheduler answered with a non-2xx status (its one-line {@code WorkerApi.Error}
 * message), or it could not be reached ({@link #status()} 0) after the retries.
 */
public class SchedulerException extends RuntimeException {

    private final int status;
    private final String method;
    private final String path;

    public SchedulerException(int status, String method, String path, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.method = method;
        this.path = path;
    }

    /** The HTTP status code, or 0 when no response came. */
    public int status() {
        return status;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Worth retrying later: no response, 408, 425, 429, or a 5xx. */
    public boolean isTransient() {
        return isTransient(status);
    }

    static boolean isTransient(int status) {
        return status == 0 || status == 408 || status == 425 || status == 429 || status >= 500;
    }

    @Override
    public String toString() {
        return method + " " + path + " -> " + (status == 0 ? "no response" : "HTTP " + status) + ": " + getMessage();
    }
}
