package io.gridchain.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.chain.BlockTrail.Advance;
import io.gridchain.protocol.chain.BlockTrail.Mark;
import io.gridchain.protocol.chain.BlockTrail.Rewind;
import io.gridchain.protocol.chain.BlockTrail.Wait;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The follower's decisions against a scripted node: a map of block number to hash. */
class BlockTrailTest {
    private final Map<Long, String> node = new HashMap<>();

    private void chain(String fork, long from, long to) {
        for (long n = from; n <= to; n++) node.put(n, "0x" + fork + n);
    }

    private Mark mark(long n) {
        return new Mark(n, node.get(n));
    }

    @Test
    void advancesOnlyToConfirmationsBelowTheHead() {
        chain("a", 0, 10);
        BlockTrail trail = new BlockTrail(8, List.of());

        assertThat(trail.next(0, 10, 2, node::get)).isEqualTo(new Advance(0, 8));
        trail.processed(mark(8));
        // blocks 9 and 10 are not confirmed yet
        assertThat(trail.next(9, 10, 2, node::get)).isEqualTo(new Wait());
        chain("a", 11, 11);
        assertThat(trail.next(9, 11, 2, node::get)).isEqualTo(new Advance(9, 9));
        assertThat(trail.next(0, 10, 0, node::get)).isEqualTo(new Advance(0, 10));
    }

    @Test
    void aReorganisationWithinTheConfirmationsChangesNothingProcessed() {
        chain("a", 0, 10);
        BlockTrail trail = new BlockTrail(8, List.of());
        trail.processed(mark(8));
        chain("b", 9, 11); // blocks 9 and 10 replaced, 11 added

        assertThat(trail.next(9, 11, 2, node::get)).isEqualTo(new Advance(9, 9));
    }

    @Test
    void rewindsToTheHighestProcessedBlockStillOnTheChain() {
        chain("a", 0, 10);
        BlockTrail trail = new BlockTrail(8, List.of());
        for (long n : new long[] {2, 4, 6, 8}) trail.processed(mark(n));
        chain("b", 6, 9); // a reorganisation from block 6 on: 4 is the fork point

        var step = trail.next(9, 9, 0, node::get);

        assertThat(step).isEqualTo(new Rewind(new Mark(4, "0xa4")));
        assertThat(((Rewind) step).from(0)).isEqualTo(5);
        trail.rewound(((Rewind) step).fork());
        assertThat(trail.marks()).extracting(Mark::number).containsExactly(2L, 4L);
        assertThat(trail.next(5, 9, 0, node::get)).isEqualTo(new Advance(5, 9));
    }

    @Test
    void aRollbackBelowTheNewestMarkIsSeenAsAReorganisation() {
        chain("a", 0, 10);
        BlockTrail trail = new BlockTrail(8, List.of());
        trail.processed(mark(5));
        trail.processed(mark(10));
        node.remove(10L); // anvil_rollback(1): the node no longer has block 10

        assertThat(trail.next(11, 9, 0, node::get)).isEqualTo(new Rewind(new Mark(5, "0xa5")));
    }

    @Test
    void aReorganisationDeeperThanTheWindowAsksForAFullRescan() {
        chain("a", 0, 10);
        BlockTrail trail = new BlockTrail(2, List.of());
        for (long n = 3; n <= 10; n++) trail.processed(mark(n));
        assertThat(trail.marks()).extracting(Mark::number).containsExactly(9L, 10L);
        chain("b", 5, 12); // the fork point, 4, is older than the window

        var step = trail.next(11, 12, 0, node::get);

        assertThat(step).isEqualTo(new Rewind(null));
        assertThat(((Rewind) step).from(0)).isZero();
        trail.rewound(null);
        assertThat(trail.marks()).isEmpty();
    }

    @Test
    void resumesFromSavedMarksAndReplacesMarksAtOrAboveANewOne() {
        chain("a", 0, 10);
        BlockTrail trail = new BlockTrail(4, List.of(mark(6), mark(3)));
        assertThat(trail.newest()).isEqualTo(mark(6));

        trail.processed(mark(5)); // after a rewind to 4, a shorter scan: 6 is no longer what was processed
        assertThat(trail.marks()).containsExactly(mark(3), mark(5));
        assertThat(new Mark(1, "0xABC").hash()).isEqualTo("0xabc");
    }
}
