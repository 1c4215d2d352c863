package dev.sessiond.server.metrics;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.CloseSessionAsAdminRequest;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.CreateNestedSessionTokenRequest;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.IncrementConfigurationVersionRequest;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.RemoveSessionRequest;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.Promtool;
import dev.sessiond.server.testing.Scrape;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after a scripted scenario: every counter moved by exactly what happened, and promtool accepts it. */
class MetricsTest {

    private static final String OPENS = "sessiond_session_opens_total{result=\"%s\"}";
    private static final String CLOSES = "sessiond_session_closes_total{reason=\"%s\"}";
    private static final String ACTIVE = "sessiond_sessions_active{client_kind=\"%s\",license_type=\"%s\"}";
    private static final String CALLS = "grpc_server_processing_duration_seconds_count{method=\"%s\","
            + "method_type=\"UNARY\",service=\"sessiond.v1.%s\",status_code=\"%s\"}";
    private static final String CACHE_READS = "sessiond_session_cache_reads_total{result=\"%s\"}";
    private static final String CACHE_REFRESHES = "sessiond_session_cache_refreshes_total";

    @TempDir
    Path dir;

    @Test
    void scrape_afterAScriptedScenario_showsExactlyWhatHappened() throws Exception {
        // Every scrape reads the store (0), so that each shows the scenario up to it.
        try (TestServer sessiond = TestServer.start(dir, Map.of("SESSIOND_CONCURRENT_LICENSES", "2",
                "SESSIOND_LOGIN_MAX_FAILURES", "2", "SESSIOND_REAPER_INTERVAL", "1h",
                "SESSIOND_METRICS_STORE_MAX_AGE", "0"))) {
            Scrape before = Scrape.of(sessiond.metricsPort());

            String admin = sessiond.adminToken();                                     // open: ok (personal, desktop)
            for (String login : new String[] {"alice", "bob", "carol"}) {
                user(sessiond, admin, login, LicenseType.LICENSE_TYPE_CONCURRENT);
            }
            user(sessiond, admin, "dave", LicenseType.LICENSE_TYPE_PERSONAL);
            user(sessiond, admin, "erin", LicenseType.LICENSE_TYPE_PERSONAL);
            OpenSessionResponse alice = sessiond.login("alice", "pw-alice", "web-client");  // ok, seat 1
            OpenSessionResponse bob = sessiond.login("bob", "pw-bob", "web-client");        // ok, seat 2
            assertError(() -> sessiond.login("carol", "pw-carol", "web-client"),            // no seat left
                    Status.Code.RESOURCE_EXHAUSTED, "LICENSE_LIMIT_REACHED");
            for (int i = 0; i < 2; i++) {                                                   // two wrong passwords...
                assertError(() -> sessiond.login("mallory", "guess", "web-client"),
                        Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
            }
            assertError(() -> sessiond.login("mallory", "guess", "web-client"),             // ...and she is throttled
                    Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED");

            Scrape middle = Scrape.of(sessiond.metricsPort());
            assertThat(middle.value(ACTIVE.formatted("web", "concurrent"))).isEqualTo(2);
            assertThat(middle.value(ACTIVE.formatted("desktop", "personal"))).isEqualTo(1);
            assertThat(middle.value(ACTIVE.formatted("other", "personal"))).isZero();
            assertThat(middle.value("sessiond_license_seats_used")).isEqualTo(2);
            assertThat(middle.value("sessiond_license_seats_high_water")).isEqualTo(2);
            assertThat(middle.value("sessiond_license_seats_limit")).isEqualTo(2);

            as(alice.getToken(), sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance()); // closed
            as(admin, sessiond.client()).closeSessionAsAdmin(CloseSessionAsAdminRequest.newBuilder()       // by admin
                    .setSessionId(bob.getSession().getId()).build());
            OpenSessionResponse dave = sessiond.login("dave", "pw-dave", "cli");                   // ok
            as(admin, sessiond.server()).createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                    .setParentToken(dave.getToken()).setLogin("carol").setApplicationId("cli").build()); // ok (nested)
            as(dave.getToken(), sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance()); // closed + with parent
            var nested = as(admin, sessiond.server()).createNestedSessionToken(CreateNestedSessionTokenRequest
                    .newBuilder().setParentToken(admin).setLogin("erin").setApplicationId("cli").build()); // ok (nested)
            as(admin, sessiond.server()).removeSession(RemoveSessionRequest.newBuilder()               // removed
                    .setSessionId(nested.getSession().getId()).build());
            as(admin, sessiond.client()).incrementConfigurationVersion(IncrementConfigurationVersionRequest
                    .getDefaultInstance());
            sessiond.login("erin", "pw-erin", "web-client");                                           // ok
            sessiond.clock.advance(Duration.ofHours(1)); // erin's and the admin's sessions expire
            int reaped = sessiond.reaper().runOnce();

            Scrape after = Scrape.of(sessiond.metricsPort());
            assertThat(after.since(before, OPENS.formatted("ok"))).as("5 sign-ins, 2 nested").isEqualTo(7);
            assertThat(after.since(before, OPENS.formatted("license_limit_reached"))).isEqualTo(1);
            assertThat(after.since(before, OPENS.formatted("invalid_credentials"))).isEqualTo(2);
            assertThat(after.since(before, OPENS.formatted("login_throttled"))).isEqualTo(1);
            assertThat(after.since(before, "sessiond_login_failures_total{reason=\"invalid_credentials\"}")).isEqualTo(2);
            assertThat(after.since(before, "sessiond_logins_throttled_total")).isEqualTo(1);
            assertThat(after.since(before, "sessiond_password_hash_duration_seconds_count"))
                    .as("5 new passwords, the 5 sign-ins that opened (the admin's among them), carol's (hashed "
                            + "before her seat), and mallory's 2 against the decoy; her throttled one hashes nothing")
                    .isEqualTo(13);
            assertThat(after.since(before, "sessiond_password_hash_duration_seconds_sum")).isPositive();
            assertThat(after.since(before, CLOSES.formatted("closed"))).isEqualTo(2);
            assertThat(after.since(before, CLOSES.formatted("closed_by_admin"))).isEqualTo(1);
            assertThat(after.since(before, CLOSES.formatted("closed_with_parent"))).isEqualTo(1);
            assertThat(after.since(before, CLOSES.formatted("removed"))).isEqualTo(1);
            assertThat(after.since(before, CLOSES.formatted("expired"))).isEqualTo(2);
            assertThat(reaped).isEqualTo(2);
            assertThat(after.since(before, "sessiond_reaper_runs_total{result=\"ok\"}")).isEqualTo(1);
            assertThat(after.since(before, "sessiond_reaper_sessions_deleted_total")).isEqualTo(2);
            assertThat(after.value("sessiond_configuration_version")).isEqualTo(1);
            assertThat(after.value("sessiond_license_seats_used")).isZero();
            assertThat(after.value("sessiond_license_seats_high_water")).as("the mark stays").isEqualTo(2);
            assertThat(after.value(ACTIVE.formatted("web", "concurrent"))).isZero();
            assertThat(after.since(before, CALLS.formatted("OpenSession", "SessionClientService", "OK"))).isEqualTo(5);
            assertThat(after.since(before, CALLS.formatted("OpenSession", "SessionClientService", "RESOURCE_EXHAUSTED")))
                    .isEqualTo(2);
            assertThat(after.since(before, CALLS.formatted("OpenSession", "SessionClientService", "UNAUTHENTICATED")))
                    .isEqualTo(2);
            assertThat(after.since(before, CALLS.formatted("RemoveSession", "SessionServerService", "OK"))).isEqualTo(1);

            Promtool.Result lint = Promtool.checkMetrics(after.text());
            assertThat(lint.exitCode()).as("promtool check metrics: %s", lint.output()).isZero();
        }
    }

    @Test
    void scrape_hasJvmProcessPoolAndGrpcMetrics_namedByPrometheusConventions() {
        try (TestServer sessiond = TestServer.start(dir)) {
            sessiond.adminToken();
            Scrape scrape = Scrape.of(sessiond.metricsPort());

            assertThat(scrape.samples().keySet()).anySatisfy(s -> assertThat(s).startsWith("jvm_memory_used_bytes{"))
                    .anySatisfy(s -> assertThat(s).startsWith("jvm_gc_"))
                    .anySatisfy(s -> assertThat(s).startsWith("jvm_threads_live_threads"))
                    .anySatisfy(s -> assertThat(s).startsWith("process_cpu_seconds_total"))
                    .anySatisfy(s -> assertThat(s).startsWith("process_files_open_files"))
                    .anySatisfy(s -> assertThat(s).startsWith("process_uptime_seconds"))
                    .anySatisfy(s -> assertThat(s).startsWith("hikaricp_connections_active{pool=\"sessiond-store\"}"))
                    .anySatisfy(s -> assertThat(s).startsWith("hikaricp_connections_acquire_seconds_count"))
                    .anySatisfy(s -> assertThat(s).startsWith(
                            "grpc_server_processing_duration_seconds_bucket{method=\"OpenSession\""))
                    .anySatisfy(s -> assertThat(s).startsWith("grpc_server_requests_received_messages_total{"))
                    .anySatisfy(s -> assertThat(s).startsWith("sessiond_store_reachable"));
            assertThat(scrape.value("sessiond_store_reachable")).isEqualTo(1);
            assertThat(scrape.text()).as("no camelCase labels").doesNotContain("methodType=", "statusCode=");
        }
    }

    @Test
    void sessionCacheCounters_showWhereValidationsFoundTheirSessions_andTheReReadsAheadOfExpiry() throws Exception {
        try (TestServer sessiond = TestServer.start(dir, Map.of("SESSIOND_SESSION_CACHE_TTL", "1m"))) {
            String admin = sessiond.adminToken();
            user(sessiond, admin, "alice", LicenseType.LICENSE_TYPE_PERSONAL); // reads (and caches) the admin's session
            String alice = sessiond.login("alice", "pw-alice", "web-client").getToken();
            Scrape before = Scrape.of(sessiond.metricsPort());

            for (int i = 0; i < 3; i++) {
                validate(sessiond, admin, alice);
            }

            Scrape validated = Scrape.of(sessiond.metricsPort());
            assertThat(validated.since(before, CACHE_READS.formatted("hit")))
                    .as("the admin's session 3 times, and again when the first call started over on a call thread "
                            + "to read alice's; alice's twice").isEqualTo(6);
            assertThat(validated.since(before, CACHE_READS.formatted("miss"))).as("alice's, once").isEqualTo(1);
            assertThat(validated.since(before, CACHE_REFRESHES)).isZero();

            sessiond.clock.advance(Duration.ofSeconds(50)); // the last quarter of both entries' minute
            validate(sessiond, admin, alice);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Scrape.of(sessiond.metricsPort()).since(validated, CACHE_REFRESHES) < 3) {
                assertThat(System.nanoTime()).as("waiting for both sessions and the configuration version to be "
                        + "re-read").isLessThan(deadline);
                Thread.sleep(20);
            }
            sessiond.clock.advance(Duration.ofSeconds(30)); // past the first reads' minute, within the re-reads'
            validate(sessiond, admin, alice);

            Scrape after = Scrape.of(sessiond.metricsPort());
            assertThat(after.since(validated, CACHE_READS.formatted("hit")))
                    .as("2 calls, 2 sessions each: none started over to read the store").isEqualTo(4);
            assertThat(after.since(validated, CACHE_READS.formatted("miss"))).as("nothing waited for the store")
                    .isZero();
            assertThat(after.since(validated, CACHE_REFRESHES)).isEqualTo(3);
        }
    }

    private static void validate(TestServer sessiond, String caller, String token) {
        as(caller, sessiond.server()).validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token)
                .build());
    }

    private static void user(TestServer sessiond, String admin, String login, LicenseType license) {
        as(admin, sessiond.users()).createUser(CreateUserRequest.newBuilder()
                .setLogin(login).setPassword("pw-" + login).setLicenseType(license).build());
    }
}
