package io.gridchain.cli.requester;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which workerpool a requester's {@code run} may use: the cheapest of the pools on offer that meet the requester's
 * minimums, or a refusal naming why each pool fell short. Anyone can publish a zero-price order that claims every
 * tag and the highest trust, so price alone would hand the run to whoever undercuts; the pool's owner's bond in its
 * own pool (what it loses when its deals fail) and its reputation (certified priced tasks, minus refunds) are what a
 * pool cannot fake cheaply. Pure: the facts come from the chain, read by the caller.
 */
public final class PoolChoice {
    private static final String NOT_ALLOWED = "not in your allowlist";
    /** Rejections named in one line. */
    static final int LISTED = 5;

    /** What the chain says about a pool's owner: its bond in its own pool and its reputation as a pool owner. */
    public record Facts(String owner, BigInteger bond, boolean leaving, long reputation, String description) {
        public boolean registered() {
            return owner != null && !owner.equals("0x0000000000000000000000000000000000000000");
        }
    }

    /** A pool on offer: its cheapest compatible order ({@code offer}, opaque here), its price per task, its facts. */
    public record Candidate<T>(T offer, String pool, BigInteger price, Facts facts) {}

    /** The requester's minimums; an empty allowlist allows any pool. */
    public record Minimums(BigInteger bond, long reputation, Set<String> allowlist) {
        public Minimums {
            allowlist = Set.copyOf(allowlist.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList());
        }

        String describe() {
            return "bond >= " + amount(bond) + " and reputation >= " + reputation
                    + (allowlist.isEmpty() ? "" : " in your allowlist");
        }
    }

    /** The outcome: a chosen pool or a refusal, each with the line the requester reads. */
    public sealed interface Decision<T> permits Chosen, Refused {
        String reason();
    }

    public record Chosen<T>(Candidate<T> candidate, String reason) implements Decision<T> {}

    public record Refused<T>(List<String> rejections, String reason) implements Decision<T> {}

    /** The cheapest candidate meeting {@code min} (ties keep the given order, the book's oldest first). */
    public static <T> Decision<T> choose(List<Candidate<T>> candidates, Minimums min) {
        List<Candidate<T>> byPrice = candidates.stream().sorted(Comparator.comparing(Candidate::price)).toList();
        List<Candidate<T>> meeting = new ArrayList<>();
        List<String> rejections = new ArrayList<>();
        List<String> whys = new ArrayList<>();
        List<String> cheaperRejected = new ArrayList<>();
        for (Candidate<T> c : byPrice) {
            String why = shortfall(c, min);
            if (why == null) {
                meeting.add(c);
            } else {
                rejections.add(c.pool() + " " + why);
                whys.add(why);
                if (meeting.isEmpty()) cheaperRejected.add(c.pool() + " " + why);
            }
        }
        if (meeting.isEmpty()) {
            String reason = candidates.isEmpty()
                    ? "no workerpool order matches this run: ask a pool to publish one, or check --category and --trust"
                    : "no pool meets your minimum (" + min.describe() + "): " + listed(rejections)
                            + ". " + hint(whys);
            return new Refused<>(List.copyOf(rejections), reason);
        }
        Candidate<T> best = meeting.get(0);
        Facts f = best.facts();
        String reason = "chose pool " + best.pool() + label(f.description()) + " (bond " + amount(f.bond())
                + ", reputation " + f.reputation() + ", price " + amount(best.price()) + "): cheapest of "
                + meeting.size() + (meeting.size() == 1 ? " pool" : " pools") + " meeting " + min.describe()
                + (cheaperRejected.isEmpty() ? "" : "; passed over " + cheaperRejected.size() + " cheaper: "
                        + listed(cheaperRejected));
        return new Chosen<>(best, reason);
    }

    /** Why {@code c} falls short of {@code min}, or null when it meets it. */
    static String shortfall(Candidate<?> c, Minimums min) {
        Facts f = c.facts();
        if (!min.allowlist().isEmpty() && !min.allowlist().contains(c.pool().toLowerCase(Locale.ROOT))) {
            return NOT_ALLOWED;
        }
        if (!f.registered()) return "not registered";
        // A leaving owner has asked for its bond back: the hub refuses its deals, and the bond will soon be gone.
        if (f.leaving()) return "leaving (its owner asked for its bond back)";
        if (f.bond().compareTo(min.bond()) < 0) return "bond " + amount(f.bond()) + " < " + amount(min.bond());
        if (f.reputation() < min.reputation()) return "reputation " + f.reputation() + " < " + min.reputation();
        return null;
    }

    /** The first few, cheapest first, and how many more: a flood of Sybil pools must not flood the terminal. */
    static String listed(List<String> items) {
        if (items.size() <= LISTED) return String.join("; ", items);
        return String.join("; ", items.subList(0, LISTED)) + "; and " + (items.size() - LISTED) + " more";
    }

    /** What the requester can do about these rejections: only the flags that would change the outcome. */
    private static String hint(List<String> whys) {
        List<String> ways = new ArrayList<>();
        if (whys.stream().anyMatch(w -> w.startsWith("bond "))) ways.add("lower --min-pool-bond");
        if (whys.stream().anyMatch(w -> w.startsWith("reputation "))) ways.add("lower --min-pool-reputation");
        if (whys.stream().anyMatch(w -> w.equals(NOT_ALLOWED))) {
            ways.add("add the pool to --pool-allowlist");
        }
        if (ways.isEmpty()) return "Wait for a bonded pool to publish an order, or name one with --pool";
        return "To use one of them knowingly, " + String.join(" or ", ways)
                + "; or name a pool that meets them with --pool";
    }

    /** Token amounts with thousands separators, as a person compares them. */
    static String amount(BigInteger v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /**
     * The pool's self-description, quoted and cut short: it is text the pool's owner chose, so it is shown as a
     * claim, never with control characters that could rewrite the terminal line around it.
     */
    static String label(String description) {
        if (description == null || description.isBlank()) return "";
        String clean = description.replaceAll("\\p{Cntrl}", " ").strip();
        if (clean.length() > 40) clean = clean.substring(0, 40) + "…";
        return " \"" + clean + "\"";
    }

    private PoolChoice() {}
}
