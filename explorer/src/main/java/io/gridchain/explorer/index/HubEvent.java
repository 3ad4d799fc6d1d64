package io.gridchain.explorer.index;

/**
 * One event of the hub or its registries, as the explorer indexes it: where it is on the chain (block, log index,
 * transaction) and what it says, in a few columns shared by every kind.
 *
 * @param subject what the event is about: a deal id, a task id, a pool, app or dataset address, a pool's scheduler
 * @param party   who: a deal's requester, a registered asset's owner, a worker; null when the event names nobody
 * @param ref     a second subject: a deal's workerpool, a claimed or initialized task's deal; null otherwise
 * @param amount  a deal's volume, a batch's task count, a reward or bond in tokens, a task's index, 1/0 for a flag
 */
public record HubEvent(long block, int logIndex, String tx, Kind kind, String subject, String party, String ref,
        long amount) {
    /** The kinds the explorer keeps. */
    public enum Kind {
        DEAL_CREATED, BATCH_FINALIZED, TASK_FINALIZED, TASK_CLAIMED, WORKERPOOL_CREATED, APP_CREATED, DATASET_CREATED,
        TASK_INITIALIZED, TASK_CONTRIBUTED, TASK_REVEALED, CALLBACK_DELIVERED, WORKER_SETTLED, BONDED,
        WORKER_ALLOWLISTED
    }
}
