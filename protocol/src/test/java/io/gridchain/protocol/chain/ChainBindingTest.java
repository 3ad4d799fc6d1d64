package io.gridchain.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.protocol.chain.BoundState.Action;
import io.gridchain.protocol.chain.ChainBinding.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure check and decision of state bound to its chain: no chain needed. */
class ChainBindingTest {
    private static final String GENESIS_A = "0x" + "ab12".repeat(16);
    private static final String GENESIS_B = "0x" + "cd34".repeat(16);
    private static final String HUB = "0x" + "11".repeat(20);
    private static final String OTHER_HUB = "0x" + "22".repeat(20);
    private static final ChainBinding A = new ChainBinding(31337, GENESIS_A, HUB);

    @Test
    void noStoredBindingIsFresh() {
        ChainBinding.Check check = ChainBinding.check(Optional.empty(), A);
        assertThat(check.verdict()).isEqualTo(Verdict.FRESH);
        assertThat(check.differing()).isEmpty();
    }

    @Test
    void theSameChainMatchesWhateverTheCaseOfItsHex() {
        ChainBinding upper = new ChainBinding(31337, GENESIS_A.toUpperCase().replace("0X", "0x"), HUB.toUpperCase()
                .replace("0X", "0x"));
        assertThat(ChainBinding.check(Optional.of(upper), A).verdict()).isEqualTo(Verdict.MATCH);
    }

    @Test
    void aNewGenesisWithTheSameChainIdAndHubIsAMismatchNamingBothHashes() {
        ChainBinding b = new ChainBinding(31337, GENESIS_B, HUB);
        ChainBinding.Check check = ChainBinding.check(Optional.of(A), b);
        assertThat(check.verdict()).isEqualTo(Verdict.MISMATCH);
        assertThat(check.differing()).containsExactly("genesis");
        String message = check.message("the scheduler's state in /d", "http://node", "start over");
        assertThat(message).isEqualTo("the scheduler's state in /d belongs to chain 31337 genesis " + GENESIS_A
                + " hub " + HUB + ", but the node at http://node is genesis " + GENESIS_B + ": start over");
        assertThat(message).doesNotContain("\n");
    }

    @Test
    void everyDifferingFieldIsNamed() {
        ChainBinding other = new ChainBinding(1, GENESIS_B, OTHER_HUB);
        ChainBinding.Check check = ChainBinding.check(Optional.of(A), other);
        assertThat(check.differing()).containsExactly("chain id", "genesis", "hub");
        assertThat(check.message("state", "URL", "fix it")).contains("the node at URL is chain 1 genesis " + GENESIS_B)
                .contains("and the hub given is " + OTHER_HUB);
        ChainBinding.Check hubOnly = ChainBinding.check(Optional.of(A), new ChainBinding(31337, GENESIS_A, OTHER_HUB));
        assertThat(hubOnly.differing()).containsExactly("hub");
        assertThat(hubOnly.message("state", "URL", "fix it")).endsWith("but the hub given is " + OTHER_HUB + ": fix it");
    }

    @Test
    void decisions() {
        ChainBinding.Check match = ChainBinding.check(Optional.of(A), A);
        ChainBinding.Check fresh = ChainBinding.check(Optional.empty(), A);
        ChainBinding.Check mismatch = ChainBinding.check(Optional.of(A), new ChainBinding(31337, GENESIS_B, HUB));
        assertThat(BoundState.decide(match, true, false)).isEqualTo(Action.RESUME);
        assertThat(BoundState.decide(match, true, true)).isEqualTo(Action.RESUME);
        assertThat(BoundState.decide(fresh, false, false)).isEqualTo(Action.BIND);
        assertThat(BoundState.decide(fresh, false, true)).isEqualTo(Action.BIND);
        // state saved before bindings existed: adopted, unless it may be discarded (a devnet)
        assertThat(BoundState.decide(fresh, true, false)).isEqualTo(Action.BIND);
        assertThat(BoundState.decide(fresh, true, true)).isEqualTo(Action.WIPE_AND_BIND);
        assertThat(BoundState.decide(mismatch, true, false)).isEqualTo(Action.REFUSE);
        assertThat(BoundState.decide(mismatch, true, true)).isEqualTo(Action.WIPE_AND_BIND);
    }

    @Test
    void ensureBindsWipesOrRefuses() {
        MemoryStore store = new MemoryStore();
        assertThat(BoundState.ensure(store, A, false, "state", "URL", "fix").action()).isEqualTo(Action.BIND);
        assertThat(store.binding).contains(A);
        store.state = true;
        assertThat(BoundState.ensure(store, A, false, "state", "URL", "fix").action()).isEqualTo(Action.RESUME);

        ChainBinding b = new ChainBinding(31337, GENESIS_B, HUB);
        assertThatThrownBy(() -> BoundState.ensure(store, b, false, "state", "URL", "fix"))
                .isInstanceOf(ChainBinding.MismatchException.class).hasMessageContaining(GENESIS_A)
                .hasMessageContaining(GENESIS_B);
        assertThat(store.binding).contains(A);
        assertThat(store.state).isTrue();

        BoundState.Outcome wiped = BoundState.ensure(store, b, true, "state", "URL", "fix");
        assertThat(wiped.action()).isEqualTo(Action.WIPE_AND_BIND);
        assertThat(wiped.describe()).contains("discarded").contains(GENESIS_A).contains(GENESIS_B);
        assertThat(store.binding).contains(b);
        assertThat(store.state).isFalse();
        assertThat(store.calls).containsExactly("bind", "wipe", "bind");
    }

    private static final class MemoryStore implements BoundState.Store {
        Optional<ChainBinding> binding = Optional.empty();
        boolean state;
        final List<String> calls = new ArrayList<>();

        @Override
        public Optional<ChainBinding> binding() {
            return binding;
        }

        @Override
        public void bind(ChainBinding value) {
            calls.add("bind");
            binding = Optional.of(value);
        }

        @Override
        public boolean hasState() {
            return state;
        }

        @Override
        public void wipe() {
            calls.add("wipe");
            binding = Optional.empty();
            state = false;
        }
    }
}
