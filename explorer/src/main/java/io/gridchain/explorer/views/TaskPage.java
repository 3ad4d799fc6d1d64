package io.gridchain.explorer.views;

import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.TxRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task's page: its timeline from the matching to the certification (or refund), the certified digest and where the
 * result can be downloaded. The logs are not here: they are the requester's, read with its own key
 * ({@code gridchain task logs}).
 *
 * @param result the URL of the certified result at the pool's store, null before certification or without a pool URL
 */
public record TaskPage(String taskId, String dealId, long index, String status, String digest, String result,
        String requester, String workerpool, String failure, List<Step> timeline) {

    /** One moment of the task: what happened, who did it (a worker, a callback), where on the chain. */
    public record Step(String what, String who, long block, String tx, long time) {}

    /** The pool's replica counts in words, or null when it gave none. */
    public static String replicas(Integer assigned, Integer contributed) {
        if (assigned == null) return null;
        return assigned + " replica" + (assigned == 1 ? "" : "s") + " assigned, "
                + (contributed == null ? 0 : contributed) + " contributed";
    }

    /**
     * @param events       the events of the deal and of this task, oldest first
     * @param certifiedBy  the batch transaction that certified the task, null if none did
     * @param times        the transactions' rows, by hash
     * @param offChain     the pool's word on a task not final on-chain ("running", "consensus", …), or null
     * @param replicas     the pool's count of replicas assigned and contributed ("3 replicas assigned, 2
     *                     contributed"), or null when it does not say
     */
    public static List<Step> timeline(String taskId, List<HubEvent> events, String certifiedBy,
            Map<String, TxRow> times, String offChain, String replicas) {
        List<Step> out = new ArrayList<>();
        for (HubEvent e : events) {
            String what = switch (e.kind()) {
                case DEAL_CREATED -> "matched";
                case TASK_INITIALIZED -> taskId.equals(e.subject()) ? "initialized on-chain" : null;
                case TASK_CONTRIBUTED -> taskId.equals(e.subject()) ? "contribution committed" : null;
                case TASK_REVEALED -> taskId.equals(e.subject()) ? "contribution revealed" : null;
                case TASK_FINALIZED -> taskId.equals(e.subject()) ? "consensus reached: certified" : null;
                case BATCH_FINALIZED -> e.tx().equals(certifiedBy) ? "consensus reached: certified in a batch of "
                        + e.amount() : null;
                case TASK_CLAIMED -> taskId.equals(e.subject()) ? "refunded (deadline missed)" : null;
                case CALLBACK_DELIVERED -> taskId.equals(e.subject())
                        ? (e.amount() == 1 ? "callback delivered" : "callback refused by the contract") : null;
                default -> null;
            };
            if (what == null) continue;
            boolean names = e.kind() == HubEvent.Kind.TASK_CONTRIBUTED || e.kind() == HubEvent.Kind.TASK_REVEALED
                    || e.kind() == HubEvent.Kind.CALLBACK_DELIVERED;
            TxRow t = times.get(e.tx());
            out.add(new Step(what, names ? e.party() : null, e.block(), e.tx(), t == null ? 0 : t.time()));
            if (e.kind() == HubEvent.Kind.DEAL_CREATED && replicas != null) {
                out.add(new Step(replicas + " (the pool's scheduler says)", null, 0, null, 0));
            }
        }
        if (offChain != null) out.add(new Step("now " + offChain + " (the pool's scheduler says)", null, 0, null, 0));
        return out;
    }
}
