package io.gridchain.cli;

/**
 * A failure the user can fix, reported as one line {@code error: <message>} and the exit code
 * given here, never with a stack trace: 1 refused or failed, 2 bad input or configuration,
 * 3 chain unreachable, 4 wrong password.
 */
public class UserError extends RuntimeException {
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int WRONG_PASSWORD = 4;

    private final int exitCode;

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A bad input or missing configuration: exit code 2. */
    public static UserError usage(String message) {
        return new UserError(message, USAGE);
    }

    /** A refusal or runtime failure: exit code 1. */
    public static UserError failure(String message) {
        return new UserError(message, FAILURE);
    }

    public int exitCode() {
        return exitCode;
    }
}
