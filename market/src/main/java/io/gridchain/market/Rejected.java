package io.gridchain.market;

/** A request the market refuses, with the HTTP status to answer and a one-line actionable message. */
public final class Rejected extends RuntimeException {
    private final int status;

    public Rejected(int status, String message) {
        super(message);
        this.status = status;
    }

    public static Rejected badRequest(String message) {
        return new Rejected(400, message);
    }

    public int status() {
        return status;
    }
}
