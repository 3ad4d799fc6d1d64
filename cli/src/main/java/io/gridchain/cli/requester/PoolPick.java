package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.cli.UserError;
import io.gridchain.cli.requester.PoolChoice.Candidate;
import io.gridchain.cli.requester.PoolChoice.Chosen;
import io.gridchain.cli.requester.PoolChoice.Decision;
import io.gridchain.cli.requester.PoolChoice.Facts;
import io.gridchain.cli.requester.PoolChoice.Minimums;
import io.gridchain.market.ChainView;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
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
    /** Pools weighed per run: the book lists the cheapest first, so a flood of cheap Sybil orders must be this deep. */
    static final int POOLS = 100;

    /** The chosen offer (a /v1/best set), its pool and facts, and the line saying why. */
    record Picked(JsonNode offer, String pool, Facts facts, String reason) {}

    private final GridClient client;
    private final ChainView chain;

    PoolPick(GridClient client, ChainView chain) {
        this.client = client;
        this.chain = chain;
    }

    /** Asks the book at {@code bestUrl} (a /v1/best query) for offers and picks one, or fails with one line. */
    Picked pick(String bestUrl, Minimums min, String noOrders) {
        JsonNode answer = Services.json(Services.get("order book", bestUrl + "&pools=" + POOLS)
                .orElseThrow(() -> new UserError(noOrders, UserError.FAILURE)));
        // a book from before pools=N answers with its cheapest set only: weigh that one
        List<JsonNode> offers = new ArrayList<>();
        if (answer.has("offers")) answer.get("offers").forEach(offers::add);
        else offers.add(answer);
        Map<String, Facts> facts = new HashMap<>();
        List<Candidate<JsonNode>> candidates = new ArrayList<>();
        for (JsonNode offer : offers) {
            String pool = Words.canonical(offer.get("workerpoolOrder").get("order").get("workerpool").asText());
            Facts f = facts.computeIfAbsent(pool, this::facts);
            candidates.add(new Candidate<>(offer, pool, new BigInteger(offer.get("price").asText()), f));
        }
        Decision<JsonNode> d = PoolChoice.choose(candidates, min);
        if (!(d instanceof Chosen<JsonNode> c)) throw new UserError(d.reason(), UserError.FAILURE);
        return new Picked(c.candidate().offer(), c.candidate().pool(), c.candidate().facts(), d.reason());
    }

    /** What the chain says about {@code pool}'s owner: its bond in its own pool and its reputation. */
    Facts facts(String pool) {
        String owner = chain.workerpoolOwner(pool);
        if (Words.ZERO_ADDRESS.equals(owner)) return new Facts(owner, BigInteger.ZERO, false, 0, "");
        PoolStake own = client.stakeOf(owner, owner);
        return new Facts(owner, own.bond(), own.leaving(), client.balanceOf(owner).score(),
                chain.workerpoolDescription(pool));
    }
}
