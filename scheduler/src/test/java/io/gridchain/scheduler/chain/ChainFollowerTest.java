package io.gridchain.scheduler.chain;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.RecordingStore;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The deal scan and the accounts, against a scripted chain, over a store that records its changes. */
class ChainFollowerTest {
    /** A chain at block {@code latest}, whose deals are in {@code dealsAt} by block. */
    private static final class ScriptedChain implements ChainReads {
        long latest = 10;
        final Map<Long, List<DealView>> dealsAt = new HashMap<>();
        final Map<String, PoolStake> stakes = new HashMap<>();
        final List<Long> scannedFrom = new ArrayList<>();
        /** The fork every block from {@link #forkFrom} on belongs to: a reorganisation changes their hashes. */
        String fork = "a";
        long forkFrom = Long.MAX_VALUE;
        final Set<String> removed = new HashSet<>();

        @Override
        public ChainClient.Head head(ChainClient.Head last) {
            return new ChainClient.Head(latest, 1_000 + latest);
        }

        /** One block per scan, so that a test sees each step of the cursor. */
        @Override
        public DealWatcher.Scan scan(long fromBlock, long to) {
            scannedFrom.add(fromBlock);
            if (fromBlock > to) return new DealWatcher.Scan(List.of(), fromBlock);
            return new DealWatcher.Scan(dealsAt.getOrDefault(fromBlock, List.of()), fromBlock + 1);
        }

        @Override
        public PoolStake stakeOf(String worker) {
            return stakes.get(worker);
        }

        @Override
        public String hashAt(long number) {
            if (number > latest) return null;
            return "0x" + (number >= forkFrom ? fork : "a") + number;
        }

        @Override
        public boolean dealExists(String dealId) {
            return !removed.contains(dealId);
        }
    }

    private final RecordingStore store = new RecordingStore();
    private final ScriptedChain chain = new ScriptedChain();
    private final DealView deal = Fixtures.deal(Fixtures.dealId(1), 2, 1, 10);
    private Applier applier = new Applier(store);

    @AfterEach
    void close() {
        applier.close();
    }

    private void follow(long now) {
        follow(now, 0);
    }

    private void follow(long now, int confirmations) {
        new ChainFollower(chain, applier, 20, confirmations).follow(now, () -> true);
        applier.saved(applier.queued());
    }

    @Test
    void aDealIsTakenInOnlyOnceItsBlockHasTheConfirmations() {
        chain.dealsAt.put(9L, List.of(deal));

        follow(NOW, 2);

        assertThat(applier.live().deals()).doesNotContainKey(deal.dealId());
        assertThat(store.cursor()).isEqualTo(9);
        chain.latest = 11;
        follow(NOW, 2);
        assertThat(applier.live().deals()).containsKey(deal.dealId());
        assertThat(store.cursor()).isEqualTo(10);
    }

    /** The deal in block 7, taken in by two scans: the trail marks blocks 4 and 10. */
    private void dealAt7WithTrailMarksAt4And10() {
        chain.dealsAt.put(7L, List.of(deal));
        chain.latest = 4;
        follow(NOW);
        chain.latest = 10;
        follow(NOW);
    }

    @Test
    void aDealARestartedSchedulerFindsRemovedByAReorganisationIsAbandonedThroughItsLifecycle() {
        dealAt7WithTrailMarksAt4And10();
        String taskId = deal.record().taskId(0);
        synchronized (applier.lock()) {
            Task running = applier.live().task(taskId).moveTo(TaskStatus.RUNNING, NOW);
            applier.apply(Changes.of(List.of(running), List.of(Replicate.assigned(taskId, deal.dealId(), A, NOW))));
        }
        applier.saved(applier.queued());
        applier.close();
        applier = new Applier(store); // the trail survives the restart in the store
        // while the scheduler was down, blocks from 6 on were replaced, without the deal
        chain.fork = "b";
        chain.forkFrom = 6;
        chain.dealsAt.clear();
        chain.removed.add(deal.dealId());
        chain.latest = 12;
        chain.scannedFrom.clear();

        follow(NOW);

        assertThat(store.task(taskId)).get().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.cause()).isEqualTo(FailureCause.DEAL_REMOVED);
        });
        assertThat(store.commits).anySatisfy(c -> assertThat(c.replicates()).anySatisfy(r -> assertThat(r.status())
                .isEqualTo(ReplicateStatus.CANCELLED)));
        assertThat(applier.live().tasks()).isEmpty();
        assertThat(chain.scannedFrom).startsWith(5L); // rescanned from the block after the fork point, 4
    }

    @Test
    void aRestartRescansTheBlocksPastTheSavedTrailAndChecksItsDeals() {
        dealAt7WithTrailMarksAt4And10();
        // the trail is saved at most every second: the scheduler stopped before saving its mark at block 10
        store.saveTrail(List.of(new BlockTrail.Mark(4, "0xa4")));
        applier.close();
        applier = new Applier(store);
        chain.removed.add(deal.dealId()); // gone from the chain, same hashes: only checking the deal shows it
        chain.scannedFrom.clear();

        follow(NOW);

        assertThat(chain.scannedFrom).startsWith(5L);
        assertThat(store.task(deal.record().taskId(0)).orElseThrow().cause()).isEqualTo(FailureCause.DEAL_REMOVED);
        assertThat(store.trail()).extracting(BlockTrail.Mark::number).containsExactly(4L, 10L);
    }

    @Test
    void aDealAReorganisationKeptIsNotTakenInTwice() {
        dealAt7WithTrailMarksAt4And10();
        int deals = (int) store.commits.stream().filter(c -> !c.deals().isEmpty()).count();
        chain.fork = "b";
        chain.forkFrom = 5;
        chain.dealsAt.put(8L, List.of(deal)); // re-included one block later
        chain.latest = 12;
        chain.scannedFrom.clear();

        follow(NOW);
        follow(NOW);

        assertThat(store.commits.stream().filter(c -> !c.deals().isEmpty())).hasSize(deals);
        assertThat(applier.live().task(deal.record().taskId(0)).status()).isEqualTo(TaskStatus.PENDING);
        assertThat(chain.scannedFrom).startsWith(5L, 6L, 7L, 8L);
        assertThat(store.cursor()).isEqualTo(13);
    }

    @Test
    void aDealIsTakenInWithItsTasksAndTheCursorInOneChange() {
        chain.dealsAt.put(7L, List.of(deal));
        synchronized (applier.lock()) {
            applier.apply(Changes.cursor(5));
        }

        follow(NOW);

        // the group commit may merge the later cursor moves into the deal's transaction, never split it
        List<Changes> withDeal = store.commits.stream().filter(c -> !c.deals().isEmpty()).toList();
        assertThat(withDeal).singleElement().satisfies(c -> {
            assertThat(c.deals()).containsExactly(deal);
            assertThat(c.tasks()).hasSize(2).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.PENDING));
            assertThat(c.cursor()).isGreaterThanOrEqualTo(8L);
        });
        assertThat(store.cursor()).isEqualTo(11);
        assertThat(chain.scannedFrom).startsWith(5L, 6L, 7L, 8L);
    }

    @Test
    void aDealSeenAgainAfterARestartOnlyMovesTheCursor() {
        chain.dealsAt.put(3L, List.of(deal));
        follow(NOW);
        Task running = applier.live().task(deal.record().taskId(0)).moveTo(TaskStatus.RUNNING, NOW);
        synchronized (applier.lock()) {
            applier.apply(Changes.of(List.of(running), List.of()));
            applier.apply(Changes.cursor(0)); // as if the cursor's last move was lost
        }
        applier.saved(applier.queued());
        applier.close();
        applier = new Applier(store);
        int before = store.commits.size();

        follow(NOW);

        assertThat(store.commits.subList(before, store.commits.size()))
                .allSatisfy(c -> assertThat(c.tasks()).isEmpty());
        assertThat(store.task(running.taskId())).contains(running);
        assertThat(applier.live().task(running.taskId())).isEqualTo(running);
        assertThat(store.cursor()).isEqualTo(11);
    }

    @Test
    void noBlockSinceTheLastScanIsNoScan() {
        ChainFollower follower = new ChainFollower(chain, applier, 20);
        follower.follow(NOW, () -> true);
        int scans = chain.scannedFrom.size();

        follower.follow(NOW + 1_000, () -> true);

        assertThat(chain.scannedFrom).hasSize(scans);
        assertThat(follower.chainNow()).isEqualTo(1_010);
    }

    @Test
    void aWorkersBondAndScoreInThePoolAreReadFromTheChain() {
        synchronized (applier.lock()) {
            applier.apply(List.of(), List.of(), List.of(new Worker(A, 2, NOW, 0)));
        }
        PoolStake stake = new PoolStake(BigInteger.valueOf(42), BigInteger.ONE, 7, 0);
        chain.stakes.put(A, stake);

        follow(NOW);

        assertThat(applier.live().stakeOf(A)).isEqualTo(stake);
    }
}
