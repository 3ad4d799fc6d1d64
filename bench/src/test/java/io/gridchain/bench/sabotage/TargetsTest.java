package io.gridchain.bench.sabotage;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.sabotage.SabotageSimulation.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
    static Outcome cell(String policy, double f, double s, long wrong, double steady) {
        return new Outcome(policy, f, s, 100_000, wrong, 0, 0, steady, steady, 0, 0, 0, 0, 0);
    }

    static List<Outcome> run(long ourWrong, double ourSteady, long pocoWrong, double pocoSteady) {
        List<Outcome> out = new ArrayList<>();
        for (double s : new double[] {0.05, 0.5, 1.0}) {
            out.add(cell("credibility", 0.2, s, ourWrong, ourSteady));
            out.add(cell("majority", 0.2, s, 0, 16));
            out.add(cell("poco", 0.2, s, pocoWrong, pocoSteady));
            out.add(cell("credibility", 0.35, s, 50, 1.3)); // f = 0.35: only the cost counts
        }
        return out;
    }

    @Test
    void cheaperAndWithinTheTargetBeatsAPolicyThatErrsLess() {
        Targets t = Targets.of(run(5, 1.3, 0, 2.5), 1e-4);
        assertThat(t.errorMet()).isTrue();
        assertThat(t.costMet()).isTrue();
        assertThat(t.beaten()).extracting(Targets.Beaten::beaten).containsExactly(3, 3);
        assertThat(t.met()).isTrue();
    }

    @Test
    void missingTheErrorTargetLosesToAPolicyThatErrsLessAndFailsTheRun() {
        Targets t = Targets.of(run(20, 1.3, 7, 2.5), 1e-4);
        assertThat(t.errorMet()).isFalse();
        assertThat(t.beaten()).extracting(Targets.Beaten::beaten).containsExactly(0, 0);
        assertThat(t.met()).isFalse();
    }

    @Test
    void erringLessThanAPolicyOverTheTargetStillBeatsIt() {
        Targets t = Targets.of(run(20, 1.3, 40, 2.5), 1e-4);
        assertThat(t.beaten().get(1)).isEqualTo(new Targets.Beaten("poco", 3, 3));
        assertThat(t.met()).as("but the error target is missed").isFalse();
    }

    @Test
    void dearerThanTheTargetCostOrThanTheOtherPolicyFails() {
        assertThat(Targets.of(run(0, 1.6, 0, 2.5), 1e-4).costMet()).isFalse();
        assertThat(Targets.of(run(0, 1.4, 0, 1.3), 1e-4).beaten().get(1).all()).isFalse();
    }
}
