package io.gridchain.scheduler.delivery;

/**
 * An upload the target refused or never answered: the server's error code (S3's, e.g. AccessDenied; else the HTTP
 * status's name or Unreachable), its HTTP status (0 when there was no answer) and its message, as one line.
 */
public final class UploadFailure extends Exception {
    private final String code;
    private final int status;

    public UploadFailure(String code, int status, String detail) {
        super(line(code, status, detail));
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    private static String line(String code, int status, String detail) {
        String d = detail == null ? "" : detail.strip().lines().findFirst().orElse("");
        if (d.length() > 200) d = d.substring(0, 200) + "…";
        return code + (status > 0 ? " (" + status + ")" : "") + (d.isEmpty() ? "" : ": " + d);
    }
}
