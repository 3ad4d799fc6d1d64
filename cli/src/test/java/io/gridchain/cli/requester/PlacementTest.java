package io.gridchain.cli.requester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.api.WorkerApi.PlacementSpec;
import io.gridchain.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlacementTest {
    static final String HEX = "ab".repeat(32);

    @Test
    void directivesParseWithTheirUnits() {
        assertThat(Placement.parse("affinity")).isEqualTo(new PlacementSpec(true, 0, 0));
        assertThat(Placement.parse("affinity, replicas=2,lifetime=2h")).isEqualTo(new PlacementSpec(true, 2, 7_200));
        assertThat(Placement.parse("lifetime=600")).isEqualTo(new PlacementSpec(false, 0, 600));
        assertThat(Placement.parse(null)).isNull();
        assertThat(Placement.json(new PlacementSpec(true, 3, 60)).toString())
                .isEqualTo("{\"affinity\":true,\"replicas\":3,\"lifetimeSeconds\":60}");
    }

    @Test
    void aBadDirectiveIsOneClearLine() {
        assertThatThrownBy(() -> Placement.parse("replicas=0")).isInstanceOf(UserError.class)
                .hasMessageContaining("replicas is a number of workers");
        assertThatThrownBy(() -> Placement.parse("lifetime=soon")).isInstanceOf(UserError.class)
                .hasMessageContaining("600, 10m, 2h or 7d");
        assertThatThrownBy(() -> Placement.parse("lifetime=31d")).hasMessageContaining("30d");
        assertThatThrownBy(() -> Placement.parse("nearby")).hasMessageContaining("unknown directive 'nearby'");
        assertThatThrownBy(() -> Placement.parse(" , ")).hasMessageContaining("at least one directive");
    }

    @Test
    void anInputNamesItsChecksumByFragmentOrAsABlob() {
        assertThat(Placement.input("http://h/big.bin#sha256=0x" + HEX.toUpperCase()))
                .isEqualTo(new Placement.Input("http://h/big.bin", "0x" + HEX));
        assertThat(Placement.input("http://market:8081/v1/blobs/0x" + HEX))
                .isEqualTo(new Placement.Input("http://market:8081/v1/blobs/0x" + HEX, "0x" + HEX));
        assertThat(Placement.input("http://h/a.txt")).isEqualTo(new Placement.Input("http://h/a.txt", null));
        assertThatThrownBy(() -> Placement.input("http://h/a.txt#sha256=123")).hasMessageContaining("64 hex digits");
    }

    @Test
    void aLocalInputsChecksumIsComputed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "hello\n");
        assertThat(Placement.checksumOf(f.toUri().toString()))
                .isEqualTo("0x5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        assertThatThrownBy(() -> Placement.checksumOf(dir.resolve("missing").toUri().toString()))
                .isInstanceOf(UserError.class).hasMessageContaining("URL#sha256=HEX");
    }
}
