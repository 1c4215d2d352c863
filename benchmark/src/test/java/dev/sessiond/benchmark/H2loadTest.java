package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the h2load pass writes and reads; h2load itself runs in the benchmark (CI's --quick run). */
class H2loadTest {

    @Test
    void frame_isTheGrpcLengthPrefixedMessage() {
        assertThat(H2load.frame(new byte[] {7, 8, 9})).containsExactly(0, 0, 0, 0, 3, 7, 8, 9);
        assertThat(H2load.frame(new byte[0])).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void outcomes_areTheCallsBetweenTwoScrapes() {
        assertThat(H2load.outcomes(Map.of("OK", 1500L, "UNAUTHENTICATED", 20L, "INTERNAL", 3L),
                Map.of("OK", 500L, "UNAUTHENTICATED", 20L))).isEqualTo(Map.of("OK", 1000L, "INTERNAL", 3L));
    }

    @Test
    void failedRequests_addFailedAndErroredFromTheSummary() {
        assertThat(H2load.failedRequests("""
                finished in 2.00s, 250.67 req/s, 9.55KB/s
                requests: 376 total, 376 started, 370 done, 365 succeeded, 5 failed, 6 errored, 0 timeout
                """)).isEqualTo(11);
        assertThat(H2load.failedRequests("no summary")).isZero();
    }

    @Test
    void result_countsOnlyTheExpectedShareOfTheMeasuredCalls() {
        Operation.Unary op = new Operation.Unary("validate", null, Driver.method("s/m"), new byte[][] {{1}},
                new Metadata(), Set.of(Status.Code.OK));
        Samples latencies = new Samples(100);
        for (int i = 1; i <= 100; i++) {
            latencies.add(i * 1_000_000L);
        }

        Load.PassResult r = H2load.result(op, 50, Duration.ofSeconds(2), latencies,
                Map.of("OK", 90L, "UNAVAILABLE", 5L), 5, 0);

        assertThat(r.outcomes()).isEqualTo(Map.of("OK", 90L, "UNAVAILABLE", 5L, "HTTP_ERROR", 5L));
        assertThat(r.expectedOutcomes()).isEqualTo(Set.of("OK"));
        assertThat(r.expected()).isEqualTo(90);
        assertThat(r.throughput()).isEqualTo(45.0);
        assertThat(r.latency().p99()).isEqualTo(99.0);
        assertThat(r.sendLag()).as("h2load reports no send lag").isNull();
        assertThat(r.unexpectedShare()).isEqualTo(0.1);
        assertThat(List.of(r.mode())).containsExactly("paced, h2load");
    }
}
