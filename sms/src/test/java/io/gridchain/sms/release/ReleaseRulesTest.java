package io.gridchain.sms.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsApi.Kind;
import io.gridchain.api.sms.SmsApi.Policy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each condition of a release alone, without a chain: the facts and policies are given. */
class ReleaseRulesTest {
    static final String DEAL = "0x" + "d".repeat(64);
    static final String REQUESTER = "0x" + "1".repeat(40);
    static final String APP = "0x" + "a".repeat(40);
    static final String DATASET = "0x" + "da".repeat(20);
    static final String POOL = "0x" + "b".repeat(40);
    static final String SCHEDULER = "0x" + "5".repeat(40);
    static final String WORKER = "0x" + "7".repeat(40);

    final ReleaseRules rules = new ReleaseRules(new AllowlistedWorkers());

    static DealFacts facts() {
        return new DealFacts(DEAL, "0x" + "e".repeat(64), 2, REQUESTER, APP, DATASET, POOL, SCHEDULER, 1_000, 500,
                false, false, false, SCHEDULER, List.of("API_KEY"));
    }

    static SmsApi.Release release(long task) {
        return new SmsApi.Release("0xsms", DEAL, task, WORKER, "0xauth", "0xkey", DATASET, null, null, List.of(), 0,
                "n");
    }

    static List<ReleaseRules.Subject> dataset(Policy p) {
        return List.of(new ReleaseRules.Subject(Kind.DATASET, DATASET, p));
    }

    Optional<String> refusal(DealFacts f, Policy p) {
        return rules.refusal(release(0), Optional.of(f), dataset(p));
    }

    @Test
    void aTaskOfTheDealSentByItsSchedulerGetsItsDatasetKey() {
        assertThat(refusal(facts(), Policy.OPEN)).isEmpty();
    }

    @Test
    void aDealTheChainDoesNotHoldGetsNothing() {
        assertThat(rules.refusal(release(0), Optional.empty(), dataset(Policy.OPEN)))
                .hasValueSatisfying(r -> assertThat(r).startsWith("no deal " + DEAL + " on this chain"));
    }

    @Test
    void aTaskIndexOutsideTheDealGetsNothing() {
        assertThat(rules.refusal(release(2), Optional.of(facts()), dataset(Policy.OPEN)))
                .hasValue("deal " + DEAL + " has no task 2 (it has 2)");
    }

    @Test
    void aFinalizedTaskGetsNothing() {
        DealFacts f = facts();
        f = new DealFacts(f.dealId(), f.taskId(), f.volume(), f.requester(), f.app(), f.dataset(), f.workerpool(),
                f.scheduler(), f.deadline(), f.chainTime(), true, false, false, SCHEDULER, List.of("API_KEY"));
        assertThat(refusal(f, Policy.OPEN)).hasValueSatisfying(r -> assertThat(r).contains("is finalized"));
    }

    @Test
    void aDealAtOrPastItsDeadlineGetsNothing() {
        DealFacts f = facts();
        f = new DealFacts(f.dealId(), f.taskId(), f.volume(), f.requester(), f.app(), f.dataset(), f.workerpool(),
                f.scheduler(), 1_000, 1_000, false, false, false, SCHEDULER, List.of("API_KEY"));
        assertThat(refusal(f, Policy.OPEN)).hasValueSatisfying(r -> assertThat(r).contains("past its deadline"));
    }

    @Test
    void anAuthorizationSignedByAnyoneButTheDealsSchedulerGetsNothing() {
        DealFacts f = facts();
        f = new DealFacts(f.dealId(), f.taskId(), f.volume(), f.requester(), f.app(), f.dataset(), f.workerpool(),
                f.scheduler(), f.deadline(), f.chainTime(), false, false, false, WORKER, List.of("API_KEY"));
        assertThat(refusal(f, Policy.OPEN)).hasValueSatisfying(r -> assertThat(r)
                .contains("is not signed by " + SCHEDULER).contains("it is signed by " + WORKER));
        f = new DealFacts(f.dealId(), f.taskId(), f.volume(), f.requester(), f.app(), f.dataset(), f.workerpool(),
                f.scheduler(), f.deadline(), f.chainTime(), false, false, false, null, List.of("API_KEY"));
        assertThat(refusal(f, Policy.OPEN)).hasValueSatisfying(r -> assertThat(r).contains("it is malformed"));
    }

    @Test
    void aDatasetTheDealDoesNotIncludeGetsNothing() {
        var other = List.of(new ReleaseRules.Subject(Kind.DATASET, "0x" + "9".repeat(40), Policy.OPEN));
        assertThat(rules.refusal(release(0), Optional.of(facts()), other))
                .hasValueSatisfying(r -> assertThat(r).contains("does not include dataset 0x" + "9".repeat(40)));
    }

    @Test
    void thePolicysPoolsAppsAndRequestersAreEachEnforced() {
        String other = "0x" + "4".repeat(40);
        assertThat(refusal(facts(), new Policy(List.of(other), List.of(), List.of(), false)))
                .hasValueSatisfying(r -> assertThat(r).contains("does not allow pool " + POOL));
        assertThat(refusal(facts(), new Policy(List.of(), List.of(other), List.of(), false)))
                .hasValueSatisfying(r -> assertThat(r).contains("does not allow app " + APP));
        assertThat(refusal(facts(), new Policy(List.of(), List.of(), List.of(other), false)))
                .hasValueSatisfying(r -> assertThat(r).contains("does not allow requester " + REQUESTER));
        assertThat(refusal(facts(), new Policy(List.of(POOL.toUpperCase().replace("0X", "0x")), List.of(APP),
                List.of(REQUESTER), false))).isEmpty();
    }

    @Test
    void allowlistedWorkersAreRequiredByThePolicyOrByThePoolsOwnDeclaration() {
        assertThat(refusal(facts(), new Policy(List.of(), List.of(), List.of(), true)))
                .hasValueSatisfying(r -> assertThat(r).contains("not on the allowlist of pool " + POOL)
                        .contains("the owner's policy requires"));
        DealFacts f = facts();
        DealFacts declared = new DealFacts(f.dealId(), f.taskId(), f.volume(), f.requester(), f.app(), f.dataset(),
                f.workerpool(), f.scheduler(), f.deadline(), f.chainTime(), false, true, false, SCHEDULER, List.of("API_KEY"));
        assertThat(refusal(declared, Policy.OPEN))
                .hasValueSatisfying(r -> assertThat(r).contains("declares it runs only allowlisted workers"));
        DealFacts listed = new DealFacts(f.dealId(), f.taskId(), f.volume(), f.requester(), f.app(), f.dataset(),
                f.workerpool(), f.scheduler(), f.deadline(), f.chainTime(), false, true, true, SCHEDULER, List.of("API_KEY"));
        assertThat(refusal(listed, new Policy(List.of(), List.of(), List.of(), true))).isEmpty();
    }

    @Test
    void aRequesterSecretTheDealDoesNotNameIsNotReleased() {
        var requester = List.of(new ReleaseRules.Subject(Kind.REQUESTER, REQUESTER, Policy.OPEN));
        SmsApi.Release named = new SmsApi.Release("0xsms", DEAL, 0, WORKER, "0xauth", "0xkey", null, null, REQUESTER,
                List.of("API_KEY"), 0, "n");
        assertThat(rules.refusal(named, Optional.of(facts()), requester)).isEmpty();
        SmsApi.Release more = new SmsApi.Release("0xsms", DEAL, 0, WORKER, "0xauth", "0xkey", null, null, REQUESTER,
                List.of("API_KEY", "DB_PASSWORD"), 0, "n");
        assertThat(rules.refusal(more, Optional.of(facts()), requester)).hasValue("deal " + DEAL + " does not name its"
                + " requester's secret DB_PASSWORD (it names API_KEY): a requester's secrets go only to the deals that"
                + " ask for them");
    }
}
