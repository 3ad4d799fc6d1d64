package io.gridchain.scheduler.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi.PlacementSpec;
import org.junit.jupiter.api.Test;

class DealParamsTest {
    static final String SUM = "0x" + "ab".repeat(32);

    @Test
    void plainTextIsTheArguments() {
        assertThat(DealParams.parse("render 7").args()).containsExactly("render", "7");
    }

    @Test
    void inputsAndTheDatasetCarryTheirPlacementDirectives() {
        DealParams p = DealParams.parse("{\"args\": \"a b\", \"inputs\": [{\"url\": \"http://h/big.bin\", \"checksum\": \""
                + SUM + "\", \"placement\": {\"affinity\": true, \"replicas\": 2, \"lifetimeSeconds\": 600}}, "
                + "{\"url\": \"http://h/small.txt\"}], \"datasetPlacement\": {\"affinity\": true}}");
        assertThat(p.args()).containsExactly("a", "b");
        assertThat(p.inputs().get(0).name()).isEqualTo("big.bin");
        assertThat(p.inputs().get(0).placement()).isEqualTo(new PlacementSpec(true, 2, 600));
        assertThat(p.inputs().get(1).placement()).isNull();
        assertThat(p.datasetPlacement()).isEqualTo(new PlacementSpec(true, 0, 0));
    }

    @Test
    void aMalformedDirectiveIsDroppedWithoutLosingTheRest() {
        DealParams p = DealParams.parse("{\"args\": [\"x\"], \"inputs\": [{\"url\": \"http://h/a\", \"placement\": "
                + "{\"replicas\": \"many\", \"colour\": 1}}], \"datasetPlacement\": 7}");
        assertThat(p.args()).containsExactly("x");
        assertThat(p.inputs()).hasSize(1);
        assertThat(p.inputs().get(0).placement()).isNull();
        assertThat(p.datasetPlacement()).isNull();
    }

    @Test
    void anOutrageousDirectiveIsBounded() {
        DealParams p = DealParams.parse("{\"inputs\": [{\"url\": \"http://h/a\", \"checksum\": \"" + SUM
                + "\", \"placement\": {\"replicas\": 1000000000, \"lifetimeSeconds\": 99999999999}}]}");
        assertThat(p.inputs().get(0).placement().replicas()).isEqualTo(PlacementSpec.MAX_REPLICAS);
        assertThat(p.inputs().get(0).placement().lifetimeSeconds()).isEqualTo(PlacementSpec.MAX_LIFETIME_SECONDS);
    }
}
