package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the server's /metrics; the scrape itself runs in the benchmark (CI's --quick run). */
class ServerMetricsTest {

    private static final String SCRAPE = """
            # TYPE grpc_server_processing_duration_seconds summary
            grpc_server_processing_duration_seconds_count{method="ValidateAndGetSession",method_type="UNARY",\
            service="sessiond.v1.SessionServerService",status_code="OK"} 1500.0
            grpc_server_processing_duration_seconds_count{method="ValidateAndGetSession",method_type="UNARY",\
            service="sessiond.v1.SessionServerService",status_code="UNAUTHENTICATED"} 20.0
            grpc_server_processing_duration_seconds_count{method="ValidateBasicFields",method_type="UNARY",\
            service="sessiond.v1.SessionServerService",status_code="OK"} 99.0
            grpc_server_processing_duration_seconds_sum{method="ValidateAndGetSession",method_type="UNARY",\
            service="sessiond.v1.SessionServerService",status_code="OK"} 3.5
            # HELP jvm_gc_memory_allocated_bytes_total Incremented for an increase in the size of the young heap
            # TYPE jvm_gc_memory_allocated_bytes_total counter
            jvm_gc_memory_allocated_bytes_total 1.2345678E8
            jvm_gc_memory_promoted_bytes_total 5000000.0
            # TYPE sessiond_password_hash_duration_seconds summary
            sessiond_password_hash_duration_seconds_count 40.0
            sessiond_password_hash_duration_seconds_sum 1.2
            # TYPE sessiond_session_cache_reads_total counter
            sessiond_session_cache_reads_total{result="hit"} 90000.0
            sessiond_session_cache_reads_total{result="miss"} 1234.0
            # TYPE sessiond_session_cache_refreshes_total counter
            sessiond_session_cache_refreshes_total 56.0
            """;

    @Test
    void callCounts_areTheMethodsCountsPerStatusCode() {
        assertThat(ServerMetrics.callCounts(SCRAPE, "sessiond.v1.SessionServerService/ValidateAndGetSession"))
                .isEqualTo(Map.of("OK", 1500L, "UNAUTHENTICATED", 20L));
        assertThat(ServerMetrics.callCounts(SCRAPE, "sessiond.v1.SessionServerService/ValidateBasicFields"))
                .isEqualTo(Map.of("OK", 99L));
        assertThat(ServerMetrics.callCounts(SCRAPE, "grpc.health.v1.Health/Check")).isEmpty();
    }

    @Test
    void sample_countsEveryEndedCall_theAllocatedBytes_thePasswordHashes_andTheStoreReads() {
        ServerMetrics.Sample sample = ServerMetrics.Sample.of(SCRAPE);

        assertThat(sample.calls()).isEqualTo(1_619);
        assertThat(sample.allocatedBytes()).isEqualTo(123_456_780.0);
        assertThat(sample.hashes()).isEqualTo(40);
        assertThat(sample.hashSeconds()).isEqualTo(1.2);
        assertThat(sample.storeReads()).isEqualTo(1_234);
        assertThat(sample.reReads()).isEqualTo(56);
    }

    @Test
    void storeReads_areTheMissesAndReReadsBetweenTwoSamples_andUnknownFromAServerThatDoesNotCountThem() {
        var before = new ServerMetrics.Sample(0, 0, 0, 0, 1_000, 40);
        var after = new ServerMetrics.Sample(0, 0, 0, 0, 1_779, 45);

        assertThat(ServerMetrics.storeReads(before, after)).contains(new Results.StoreReads(779, 5));
        var older = ServerMetrics.Sample.of("jvm_gc_memory_allocated_bytes_total 1.0\n");
        assertThat(older.storeReads()).isEqualTo(-1);
        assertThat(older.reReads()).isEqualTo(-1);
        assertThat(ServerMetrics.storeReads(older, after)).isEmpty();
        assertThat(ServerMetrics.storeReads(after, older)).isEmpty();
    }

    @Test
    void hashMillis_isTheMeanTimeOfTheHashesBetweenTwoSamples() {
        var before = new ServerMetrics.Sample(0, 0, 40, 1.2, 0, 0);
        var after = new ServerMetrics.Sample(0, 0, 140, 4.7, 0, 0);

        assertThat(ServerMetrics.hashMillis(before, after)).isCloseTo(35.0, within(1e-9));
        assertThat(ServerMetrics.hashMillis(before, before)).as("no hash between them").isNaN();
    }

    @Test
    void bytesPerCall_dividesTheGrowthOfOneByTheOther() {
        var before = new ServerMetrics.Sample(1_000, 50_000_000, 0, 0, 0, 0);
        var after = new ServerMetrics.Sample(101_000, 1_074_000_000, 0, 0, 0, 0);

        assertThat(ServerMetrics.bytesPerCall(before, after)).isCloseTo(10_240, within(0.001));
        assertThat(ServerMetrics.bytesPerCall(before, before)).isNaN();
    }
}
