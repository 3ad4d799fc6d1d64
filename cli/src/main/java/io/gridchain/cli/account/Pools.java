package io.gridchain.cli.account;

import io.gridchain.cli.UserError;
import io.gridchain.market.ChainView;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pool named on the command line: the hub keys bonds by the pool's owner, a person knows the workerpool. */
public final class Pools {
    private Pools() {}

    /** The owner of {@code pool} when it is a registered workerpool, else {@code pool} itself, taken as an owner. */
    public static String owner(Protocol protocol, String pool) {
        if (pool == null || !pool.matches("0x[0-9a-fA-F]{40}")) {
            throw UserError.usage("'" + pool + "' is not a pool: give its workerpool or its owner's address"
                    + " (0x followed by 40 hex digits)");
        }
        String owner = new ChainView(protocol).workerpoolOwner(pool);
        return Words.ZERO_ADDRESS.equals(owner) ? Words.canonical(pool) : owner;
    }

    /** A standing in a pool as the JSON output shows it. */
    static Map<String, Object> json(String owner, PoolStake s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool_owner", owner);
        m.put("bond", s.bond().toString());
        m.put("earned", s.earned().toString());
        m.put("score", s.score());
        m.put("unbond_at", s.unbondAt());
        return m;
    }

    /** One line: bond, uncollected earnings, score, and the unbond request if any. */
    static String line(String owner, PoolStake s) {
        return "pool " + owner + ": bond " + s.bond() + ", earned " + s.earned() + " (to collect), score " + s.score()
                + (s.leaving() ? ", unbond requested: the bond may leave from " + s.unbondAt() + " (unix time)" : "");
    }
}
