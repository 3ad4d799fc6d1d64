package io.gridchain.protocol.poco;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The digest workers vote for when an app fails the same way wherever it runs, so that the failure is certified
 * like a result and the requester pays for the work it asked for (issue 14, guarantee 1). A callback deal's failure
 * is the empty callback data (the hub hands the consumer empty bytes: "failed"), so its digest is keccak256 of
 * nothing. Any other deal's failure digest is keccak256 of its record,
 * {@code "gridchain/failure/v1:" + cause (+ ":" + exit code for EXIT_NONZERO)}: the record is what the worker
 * uploads, so the pool's content-addressed store checks it like any result.
 *
 * <p>Only causes every honest worker reproduces are certifiable; a timeout, a host error or a failed download depend
 * on the worker and stay failure reports, which end in the requester's refund.
 */
public final class FailureDigest {
    public static final String PREFIX = "gridchain/failure/v1:";
    /** The digest of a callback deal's failure: keccak256 of empty callback data. */
    public static final String EMPTY_CALLBACK = Contributions.callbackDigest(new byte[0]);
    /**
     * The failure causes workers certify: runtime's Failure.Cause names, and the worker's NO_CALLBACK_DATA and
     * CALLBACK_DATA_TOO_LARGE (both certified as empty callback data).
     */
    public static final Set<String> CERTIFIABLE = Set.of("EXIT_NONZERO", "TRAP", "MEMORY_LIMIT", "OUTPUT_LIMIT",
            "INVALID_MODULE", "NO_CALLBACK_DATA", "CALLBACK_DATA_TOO_LARGE");
    /** Exit codes recognised from the digest alone (a wider code is still certified, only not described). */
    private static final int MAX_KNOWN_EXIT_CODE = 1023;
    private static final Map<String, Described> KNOWN = known();

    /** A certified failure as the pool describes it to the requester. */
    public record Described(String cause, String message) {
        /** What the requester reads of the failure {@code workers} agreed on. */
        public String certifiedBy(long workers) {
            return "failed (certified by " + workers + (workers == 1 ? " worker): " : " workers): ") + message;
        }
    }

    private FailureDigest() {}

    public static boolean certifiable(String cause) {
        return CERTIFIABLE.contains(cause);
    }

    /** What the worker uploads for the failure: the record, or empty callback data on a callback deal. */
    public static byte[] record(boolean callback, String cause, int exitCode) {
        if (callback) return new byte[0];
        String text = PREFIX + cause + (cause.equals("EXIT_NONZERO") ? ":" + exitCode : "");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The digest the workers commit to and reveal for the failure. */
    public static String of(boolean callback, String cause, int exitCode) {
        return Contributions.callbackDigest(record(callback, cause, exitCode));
    }

    /** Whether {@code bytes} are a failure record (not a result archive nor callback data). */
    public static boolean isRecord(byte[] bytes) {
        byte[] prefix = PREFIX.getBytes(StandardCharsets.UTF_8);
        if (bytes == null || bytes.length < prefix.length || bytes.length > 128) return false;
        for (int i = 0; i < prefix.length; i++) if (bytes[i] != prefix[i]) return false;
        return true;
    }

    /** The failure a certified digest stands for, if it is a known failure digest of a deal with or without callback. */
    public static Optional<Described> describe(boolean callback, String digest) {
        if (digest == null) return Optional.empty();
        if (callback) {
            return EMPTY_CALLBACK.equalsIgnoreCase(digest)
                    ? Optional.of(new Described("NO_CALLBACK_DATA", "the app wrote no usable callback data (none, or more"
                            + " than a callback carries): the consumer receives empty bytes"))
                    : Optional.empty();
        }
        return Optional.ofNullable(KNOWN.get(digest.toLowerCase()));
    }

    private static Map<String, Described> known() {
        Map<String, Described> out = new HashMap<>();
        for (String cause : CERTIFIABLE) {
            if (cause.equals("EXIT_NONZERO") || cause.startsWith("NO_CALLBACK") || cause.startsWith("CALLBACK")) continue;
            out.put(of(false, cause, 0).toLowerCase(), new Described(cause, message(cause)));
        }
        out.put(of(false, "NO_CALLBACK_DATA", 0).toLowerCase(),
                new Described("NO_CALLBACK_DATA", message("NO_CALLBACK_DATA")));
        for (int code = -1; code <= MAX_KNOWN_EXIT_CODE; code++) {
            if (code == 0) continue;
            out.put(of(false, "EXIT_NONZERO", code).toLowerCase(),
                    new Described("EXIT_NONZERO", "app exited with code " + code));
        }
        return Map.copyOf(out);
    }

    private static String message(String cause) {
        return switch (cause) {
            case "TRAP" -> "app trapped";
            case "MEMORY_LIMIT" -> "app needed more memory than its limit";
            case "OUTPUT_LIMIT" -> "app wrote more output than its limit";
            case "INVALID_MODULE" -> "the app is not a valid WebAssembly command";
            default -> "the app wrote no callback data";
        };
    }
}
