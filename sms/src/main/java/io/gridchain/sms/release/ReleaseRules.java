package io.gridchain.sms.release;

import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsApi.Kind;
import io.gridchain.api.sms.SmsApi.Policy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a worker's request may have its secrets: a pure function of the request, the chain's facts and the owners'
 * policies, so every condition is tested without a chain. The first failed condition is the answer, in one line.
 */
public final class ReleaseRules {
    /** One secret holder the request names, and the policy its owner set (OPEN if none). */
    public record Subject(Kind kind, String address, Policy policy) {}

    private final ExecutionVerifier verifier;

    public ReleaseRules(ExecutionVerifier verifier) {
        this.verifier = verifier;
    }

    /** The refusal, or empty to release. {@code facts} is empty when the chain has no such deal. */
    public Optional<String> refusal(SmsApi.Release r, Optional<DealFacts> found, List<Subject> subjects) {
        if (found.isEmpty()) {
            return Optional.of("no deal " + r.dealId() + " on this chain: secrets go only to tasks of on-chain deals");
        }
        DealFacts f = found.get();
        if (r.taskIndex() < 0 || r.taskIndex() >= f.volume()) {
            return Optional.of("deal " + r.dealId() + " has no task " + r.taskIndex() + " (it has " + f.volume() + ")");
        }
        if (f.taskFinal()) {
            return Optional.of("task " + f.taskId() + " is finalized: its secrets are no longer released");
        }
        if (f.chainTime() >= f.deadline()) {
            return Optional.of("deal " + r.dealId() + " is past its deadline (" + f.deadline()
                    + "): nothing is released for it any more");
        }
        if (f.authorizer() == null || !f.authorizer().equalsIgnoreCase(f.scheduler())) {
            return Optional.of("the authorization of worker " + r.worker() + " is not signed by " + f.scheduler()
                    + ", the scheduler of the deal's pool " + f.workerpool()
                    + (f.authorizer() == null ? " (it is malformed)" : " (it is signed by " + f.authorizer() + ")")
                    + ": only the pool running the task sends workers");
        }
        boolean allowlistRequired = f.poolAllowlistOnly();
        for (Subject s : subjects) {
            String actual = switch (s.kind()) {
                case DATASET -> f.dataset();
                case APP -> f.app();
                case REQUESTER -> f.requester();
            };
            if (!s.address().equalsIgnoreCase(actual)) {
                return Optional.of("deal " + r.dealId() + " does not include " + label(s) + " (its "
                        + s.kind().name().toLowerCase() + " is " + actual + ")");
            }
            if (s.kind() == Kind.REQUESTER) {
                for (String name : r.requesterSecrets()) {
                    if (!f.secrets().contains(name)) {
                        return Optional.of("deal " + r.dealId() + " does not name its requester's secret " + name
                                + " (it names " + (f.secrets().isEmpty() ? "none" : String.join(", ", f.secrets()))
                                + "): a requester's secrets go only to the deals that ask for them");
                    }
                }
            }
            Policy p = s.policy();
            Optional<String> refused = notIn(p.pools(), f.workerpool(), "pool", s)
                    .or(() -> notIn(p.apps(), f.app(), "app", s))
                    .or(() -> notIn(p.requesters(), f.requester(), "requester", s));
            if (refused.isPresent()) return refused;
            allowlistRequired |= p.allowlistedWorkersOnly();
        }
        return verifier.refuse(r, f, allowlistRequired);
    }

    private static Optional<String> notIn(List<String> allowed, String actual, String what, Subject s) {
        if (allowed.isEmpty() || allowed.stream().anyMatch(a -> a.equalsIgnoreCase(actual))) return Optional.empty();
        return Optional.of("the owner of " + label(s) + " does not allow " + what + " " + actual + " (its policy allows "
                + String.join(", ", allowed) + ")");
    }

    static String label(Subject s) {
        return Map.of(Kind.DATASET, "dataset ", Kind.APP, "app ", Kind.REQUESTER, "requester ").get(s.kind())
                + s.address();
    }
}
