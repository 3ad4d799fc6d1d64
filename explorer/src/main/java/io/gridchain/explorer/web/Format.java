package io.gridchain.explorer.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the pages write ids, times and amounts. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Format() {}

    /** An id or address cut to its ends ("0x1234…abcd"); the full value stays in the link and its title. */
    public static String shortId(String id) {
        if (id == null) return "";
        return id.length() <= 14 ? id : id.substring(0, 8) + "…" + id.substring(id.length() - 6);
    }

    /** A chain time in seconds, or nothing for 0 (unknown). */
    public static String time(long seconds) {
        return seconds == 0 ? "" : TIME.format(Instant.ofEpochSecond(seconds));
    }

    /** A wall-clock time in milliseconds. */
    public static String millis(long millis) {
        return millis == 0 ? "" : TIME.format(Instant.ofEpochMilli(millis));
    }

    /** Whether an address is the zero address (no dataset, no restriction). */
    public static boolean none(String address) {
        return address == null || address.matches("0x0*");
    }
}
