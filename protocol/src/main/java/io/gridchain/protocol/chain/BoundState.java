package io.gridchain.protocol.chain;

import java.util.Optional;

/**
 * Binds a service's saved state to its chain at start ({@link ChainBinding}): resumes state of the same chain, binds
 * new state, and either refuses state of another chain with a one-line error or, when the caller says the state may
 * be discarded (a devnet), wipes it and starts fresh. Shared by the scheduler and the order book.
 */
public final class BoundState {
    private BoundState() {}

    /** The part of a service's store that keeps the binding. */
    public interface Store {
        Optional<ChainBinding> binding();

        /** Records {@code binding} as the chain the state belongs to. */
        void bind(ChainBinding binding);

        /** Whether anything is saved: state saved before bindings were recorded has none. */
        boolean hasState();

        /** Discards every piece of state, the binding included. */
        void wipe();
    }

    /** What to do with the saved state. */
    public enum Action {
        /** Same chain: carry on with the state as it is. */
        RESUME,
        /** No binding yet: record the node's and carry on. */
        BIND,
        /** Another chain, and the caller allows it: discard the state, then bind. */
        WIPE_AND_BIND,
        /** Another chain: stop with the check's message. */
        REFUSE
    }

    /**
     * The decision, without side effects. State saved before bindings existed (no binding, but state) is adopted as
     * the node's, since refusing would strand every existing deployment at its upgrade, unless it may be discarded:
     * a devnet's old state most likely belongs to a previous chain.
     */
    public static Action decide(ChainBinding.Check check, boolean hasState, boolean freshOnMismatch) {
        return switch (check.verdict()) {
            case MATCH -> Action.RESUME;
            case FRESH -> hasState && freshOnMismatch ? Action.WIPE_AND_BIND : Action.BIND;
            case MISMATCH -> freshOnMismatch ? Action.WIPE_AND_BIND : Action.REFUSE;
        };
    }

    /**
     * What {@link #ensure} did, and a line for the service's log.
     *
     * @param check the comparison it acted on
     */
    public record Outcome(Action action, ChainBinding.Check check, String owner) {
        /** A sentence for the log, e.g. why the state was discarded. */
        public String describe() {
            ChainBinding node = check.node();
            return switch (action) {
                case RESUME -> owner + " belongs to " + node.describe() + ": resumed";
                case BIND -> owner + " is bound to " + node.describe()
                        + (check.stored() == null ? " (it had no binding yet)" : "");
                case WIPE_AND_BIND -> owner + " belonged to "
                        + (check.stored() == null ? "an unrecorded chain" : check.stored().describe()) + ", not to "
                        + node.describe() + ": discarded it and started fresh";
                case REFUSE -> throw new IllegalStateException("a refusal is thrown, not described");
            };
        }
    }

    /**
     * Checks {@code store} against {@code node} and acts: see {@link #decide}. Throws
     * {@link ChainBinding.MismatchException} with {@link ChainBinding.Check#message} on a refusal.
     *
     * @param owner whose state and where, e.g. "the scheduler's state in /data/sched"
     * @param remedy what the user can do about a mismatch, e.g. "start with another --data directory, or …"
     */
    public static Outcome ensure(Store store, ChainBinding node, boolean freshOnMismatch, String owner, String nodeUrl,
            String remedy) {
        ChainBinding.Check check = ChainBinding.check(store.binding(), node);
        Action action = decide(check, check.verdict() == ChainBinding.Verdict.FRESH && store.hasState(),
                freshOnMismatch);
        switch (action) {
            case RESUME -> { }
            case BIND -> store.bind(node);
            case WIPE_AND_BIND -> {
                store.wipe();
                store.bind(node);
            }
            case REFUSE -> throw new ChainBinding.MismatchException(check.message(owner, nodeUrl, remedy));
        }
        return new Outcome(action, check, owner);
    }
}
