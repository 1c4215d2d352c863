package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's rendering of what the server allocated per call. */
class ReportTest {

    @Test
    void allocationPerCall_isShownInKiB_andWrittenInBytes() throws Exception {
        Results.StoreResult h2 = TargetsTest.result(Store.Kind.H2, List.of(), TargetsTest.ok(StoreRun.SIGN_IN, 30, 200));
        Report.Run run = new Report.Run("2026-12-04T00:00:00Z", "abc", true, 2, 24_000, "Linux", "25", "0", "0",
                Options.parse("--quick", "--server-jar", "s.jar"), 100);
        Report report = new Report(run, List.of(h2), Targets.evaluate(h2));

        String md = report.markdown();
        assertThat(md).contains("| KiB allocated per RPC |");
        assertThat(md).contains("| 3.00 (at - /s; driver lag 0.75) | 10.0 |  |  |\n");
        assertThat(md).contains("| 2.00 | 1.50 (at - /s; driver lag 0.38) | 6.0 |  | the empty RPC, before the operations; "
                + "its p99 at 70 % is the floor the machine puts under the others' |\n");
        assertThat(md).contains("| 2.00 |  |  |  | the empty RPC, after the operations |\n");
        assertThat(md).contains("sign-in capacity 2 cores / hash = 40.0 /s; 2 hashing side by side (without the server) "
                + "made 32.0 /s.");
        assertThat(md).contains("**Password hashes**: during the maximum OpenSession, password pass the server's "
                + "hashes took 62.5 ms each on average (from their start on a hashing thread to their end); here, "
                + "without the server, one alone took 50.0 ms and 2 side by side 62.5 ms each.\n");

        assertThat(md).contains("**Sign-ins paired with hash timings** (5 rounds: a 2 s OpenSession, password pass "
                + "at its maximum between two brief timings here, with the server idle: the median of 5 hashes one "
                + "after another, then 5 per core side by side; the median judges the target, so that the machine's "
                + "drift cancels out): sign-ins 0.80 x 2 cores / hash (0.67 to 0.88), with one hash 40.0 to 50.0 ms; "
                + "1.00 x what the cores hashed side by side (0.83 to 1.09).\n");

        String json = Json.write(report.json());
        assertThat(json).contains("\"sign_ins_paired_with_hash\": {", "\"hash_ms\": [", "\"to_side_by_side\": {");
        assertThat(json).contains("\"allocated_bytes_per_call\": 10240").contains("\"baseline_allocated_bytes_per_call\": 6144")
                .contains("\"hashes_side_by_side_per_s\": 32").contains("\"server_hash_ms\": 62.5");
    }

    @Test
    void pairedRatios_areShownAfterTheOperations_andWrittenWithEachRound() throws Exception {
        Results.StoreResult h2 = TargetsTest.result(Store.Kind.H2, List.of(), TargetsTest.ok(StoreRun.SIGN_IN, 30, 200),
                List.of(new Results.Paired(StoreRun.VALIDATE, List.of(0.7, 0.8, 0.75),
                        List.of(new Results.StoreReads(0, 0), new Results.StoreReads(1_779, 0),
                                new Results.StoreReads(3, 1_000))),
                        new Results.Paired(StoreRun.BASIC, List.of(0.9))));
        Report.Run run = new Report.Run("2026-12-04T00:00:00Z", "abc", true, 2, 24_000, "Linux", "25", "0", "0",
                Options.parse("--quick", "--server-jar", "s.jar"), 100);
        Report report = new Report(run, List.of(h2), Targets.evaluate(h2));

        assertThat(report.markdown()).contains("**Paired with E** (5 rounds: a 1 s pass of the operation between two of "
                + "Health/Check, its ratio to their mean; the median judges the targets, so that the machine's drift during "
                + "the run cancels out): ValidateAndGetSession 0.75 E (0.70 to 0.80; sessions read from the store per "
                + "round: 0, 1,779, 3, and ahead of their expiry: 0, 0, 1,000); ValidateBasicFields 0.90 E (0.90 to 0.90).\n");
        String json = Json.write(report.json());
        assertThat(json).contains("\"paired_ratios_to_e\": [", "\"median\": 0.75", "\"min\": 0.7");
        assertThat(json.replaceAll("\\s+", "")).contains("\"store_reads_per_round\":[0,1779,3]",
                "\"re_reads_per_round\":[0,0,1000]");
        assertThat(json).as("only where counted").containsOnlyOnce("store_reads_per_round");
    }
}
