package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void quick_isH2With10000SessionsAndShortPasses() throws Exception {
        Options o = Options.parse("--quick", "--server-jar", "s.jar");
        assertThat(o.stores()).containsExactly(Store.Kind.H2);
        assertThat(o.storedSessions()).containsExactly(10_000);
        assertThat(o.measure()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.profiled()).isNull();
    }

    @Test
    void full_isBothStoresAt10000And1000000() throws Exception {
        Options o = Options.parse("--server-jar", "s.jar", "--profile");
        assertThat(o.stores()).containsExactly(Store.Kind.H2, Store.Kind.POSTGRESQL);
        assertThat(o.storedSessions()).containsExactly(10_000, 1_000_000);
        assertThat(o.apiSessions()).isEqualTo(5_000);
        assertThat(o.measure()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.profiled()).isEqualTo("validate");
    }

    @Test
    void flags_overrideTheDefaults() throws Exception {
        Options o = Options.parse("--quick", "--store", "postgresql", "--sessions", "20000,50000", "--duration", "500ms",
                "--in-flight", "8", "--server-jar", "s.jar");
        assertThat(o.stores()).isEqualTo(List.of(Store.Kind.POSTGRESQL));
        assertThat(o.storedSessions()).containsExactly(20_000, 50_000);
        assertThat(o.measure()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.inFlight()).isEqualTo(8);
        assertThat(o.serverJvmOptions()).isEmpty();
    }

    @Test
    void profile_takesTheNameOfAPass() throws Exception {
        assertThat(Options.parse("--profile", "sign-in", "--server-jar", "s.jar").profiled()).isEqualTo("sign-in");
        assertThat(Options.parse("--profile", "--quick", "--server-jar", "s.jar").profiled()).isEqualTo("validate");
        assertThatThrownBy(() -> Options.parse("--profile", "health", "--server-jar", "s.jar"))
                .hasMessage("--profile: health (expected one of: validate, bad-signature, basic-fields, activity, enum, "
                        + "cycle, sign-in)");
    }

    @Test
    void pacedDriver_isAutoUnlessChosen() throws Exception {
        assertThat(Options.parse("--quick", "--server-jar", "s.jar").pacedDriver()).isEqualTo("auto");
        assertThat(Options.parse("--paced-driver", "java", "--server-jar", "s.jar").pacedDriver()).isEqualTo("java");
        assertThatThrownBy(() -> Options.parse("--paced-driver", "wrk", "--server-jar", "s.jar"))
                .hasMessage("--paced-driver: wrk (expected: auto, h2load or java)");
    }

    @Test
    void serverJvmOptions_areSplitOnSpaces() throws Exception {
        Options o = Options.parse("--server-jvm-options", " -Xmx256m  -XX:+UseSerialGC ", "--server-jar", "s.jar");
        assertThat(o.serverJvmOptions()).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
    }

    @Test
    void badArguments_sayWhatWasWrong() {
        assertThatThrownBy(() -> Options.parse("--store", "mysql", "--server-jar", "s.jar"))
                .hasMessage("--store: mysql (expected: h2, postgresql or both)");
        assertThatThrownBy(() -> Options.parse("--duration", "10", "--server-jar", "s.jar"))
                .hasMessage("--duration: 10 (expected: a duration such as 500ms, 10s or 2m)");
        assertThatThrownBy(() -> Options.parse("--sessions", "1000000,10000", "--server-jar", "s.jar"))
                .hasMessage("--sessions: 1000000,10000 (expected: ascending counts)");
        assertThatThrownBy(() -> Options.parse("--quick")).hasMessageStartingWith("--server-jar: missing");
        assertThatThrownBy(() -> Options.parse("--frobnicate", "--server-jar", "s.jar"))
                .hasMessage("unknown argument: --frobnicate");
        assertThatThrownBy(() -> Options.parse("--quick", "--api-sessions", "20000", "--server-jar", "s.jar"))
                .hasMessage("--api-sessions: 20000 (expected: 1..10000)");
    }
}
