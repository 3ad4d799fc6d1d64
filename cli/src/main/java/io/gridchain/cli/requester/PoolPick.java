package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.cli.UserError;
import io.gridchain.cli.requester.PoolChoice.Candidate;
import io.gridchain.cli.requester.PoolChoice.Chosen;
import io.gridchain.cli.requester.PoolChoice.Decision;
import io.gridchain.cli.requester.PoolChoice.Facts;
import io.gridchain.cli.requester.PoolChoice.Minimums;
import io.gridchain.market.ChainView;
import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code run} chooses its workerpool: the order book's cheapest offer on each pool, each pool's facts read from
 * the chain (never from the book, which anyone can run), then {@link PoolChoice}.
 */
final class PoolPick {
    /**
     * The default minimum bond of a pool's owner in its own pool, in token units. Large enough that a throwaway pool
     * costs something to stand up and loses it when its deals fail (its stake is burned), small enough for a
     * devnet or a new honest pool to reach.
     */
    static final BigInteger DEFAULT_MIN_BOND = BigInteger.valueOf(1_000);
    /** Pools weighed per answer of the book, cheapest first. */
    static final int POOLS = 100;

    /** The chosen offer (a /v1/best set), its pool and facts, and the line saying why. */
    record Picked(JsonNode offer, String pool, Facts facts, String reason) {}

    private final ChainView chain;
    private final int pools;
    private final Map<String, Facts> facts = new HashMap<>();

    PoolPick(ChainView chain) {
        this(chain, POOLS);
    }

    PoolPick(ChainView chain, int pools) {
        this.chain = chain;
        this.pools = pools;
    }

    /** Asks the book at {@code bestUrl} (a /v1/best query) for offers and picks one, or fails with one line. */
    Picked pick(String bestUrl, Minimums min, String noOrders) {
        List<JsonNode> cheapest = offers(bestUrl + "&pools=" + pools)
                .orElseThrow(() -> new UserError(noOrders, UserError.FAILURE));
        Decision<JsonNode> d = decide(cheapest, min);
        if (d instanceof Chosen<JsonNode> c) return picked(c, "");
        if (cheapest.size() >= pools) {
            // A full answer of pools below the minimums may hide qualifying pools behind it (a flood of cheap Sybil
            // orders): ask the book for only those meeting them, and check them here again.
            var beyond = offers(bestUrl + "&pools=" + pools + "&minPoolBond=" + min.bond() + "&minPoolReputation="
                    + min.reputation());
            if (beyond.isPresent() && decide(beyond.get(), min) instanceof Chosen<JsonNode> c) {
                return picked(c, "; passed over the " + cheapest.size() + " cheapest pools, all below your minimums");
            }
        }
        throw new UserError(d.reason(), UserError.FAILURE);
    }

    private static Picked picked(Chosen<JsonNode> c, String more) {
        return new Picked(c.candidate().offer(), c.candidate().pool(), c.candidate().facts(), c.reason() + more);
    }

    /** The book's offers, one per pool; empty on 404. A book from before pools=N answers with its cheapest only. */
    private static java.util.Optional<List<JsonNode>> offers(String url) {
        return Services.get("order book", url).map(Services::json).map(answer -> {
            List<JsonNode> offers = new ArrayList<>();
            if (answer.has("offers")) answer.get("offers").forEach(offers::add);
            else offers.add(answer);
            return offers;
        });
    }

    private Decision<JsonNode> decide(List<JsonNode> offers, Minimums min) {
        List<Candidate<JsonNode>> candidates = new ArrayList<>();
        for (JsonNode offer : offers) {
            String pool = Words.canonical(offer.get("workerpoolOrder").get("order").get("workerpool").asText());
            candidates.add(new Candidate<>(offer, pool, new BigInteger(offer.get("price").asText()),
                    facts.computeIfAbsent(pool, this::facts)));
        }
        return PoolChoice.choose(candidates, min);
    }

    /** What the chain (never the book) says about {@code pool}'s owner. */
    private Facts facts(String pool) {
        ChainView.PoolStanding s = chain.poolStanding(pool);
        return new Facts(s.owner(), s.bond(), s.leaving(), s.reputation(),
                s.registered() ? chain.workerpoolDescription(pool) : "");
    }
}
