package io.gridchain.explorer.views;

import java.util.Locale;

/** What a search string names: a deal or task id (32 bytes), an address (20 bytes), or nothing the explorer knows. */
public final class Views {
    private Views() {}

    public enum Query { ID, ADDRESS, NONE }

    public static Query classify(String q) {
        if (q == null) return Query.NONE;
        String s = q.strip().toLowerCase(Locale.ROOT);
        if (s.matches("0x[0-9a-f]{64}")) return Query.ID;
        if (s.matches("0x[0-9a-f]{40}")) return Query.ADDRESS;
        return Query.NONE;
    }
}
