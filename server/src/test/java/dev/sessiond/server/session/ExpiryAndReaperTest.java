package dev.sessiond.server.session;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.CreateNestedSessionTokenRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expiry (idle and lifetime) and the background reaper. */
class ExpiryAndReaperTest {

    @TempDir
    Path dir;

    TestServer sessiond;
    User user;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir, Map.of(
                "SESSIOND_SESSION_IDLE_TIMEOUT", "30m",
                "SESSIOND_ACTIVITY_WRITE_INTERVAL", "1m",
                "SESSIOND_REAPER_INTERVAL", "1h", // the test runs the reaper by hand
                "SESSIOND_REAPER_BATCH_SIZE", "1000"));
        sessiond.createUser("svc", "svc-password", false, true);
        user = sessiond.createUser("uma", "uma-password", false, false);
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    /** A fresh service session per call, so that moving the clock never expires the caller. */
    private SessionServerServiceBlockingStub service() {
        return as(sessiond.login("svc", "svc-password", "desktop-client").getToken(), sessiond.server());
    }

    private void validate(String token) {
        service().validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build());
    }

    private long count(String sql) {
        return sessiond.database().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void idleTimeout_isExactToTheSecond() {
        String stillValid = sessiond.login("uma", "uma-password", "web-client").getToken();
        String expired = sessiond.login("uma", "uma-password", "web-client").getToken();

        sessiond.clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        validate(stillValid);
        sessiond.clock.advance(Duration.ofSeconds(2));

        assertError(() -> validate(expired), Status.Code.UNAUTHENTICATED, "SESSION_EXPIRED");
    }

    @Test
    void closeSession_saysWhetherTheSessionWasOpen_countingUseNotWrittenYet() {
        OpenSessionResponse idle = sessiond.login("uma", "uma-password", "web-client");
        OpenSessionResponse used = sessiond.login("uma", "uma-password", "web-client");
        sessiond.clock.advance(Duration.ofMinutes(20));
        validate(used.getToken()); // remembered now, written at the next activity write
        sessiond.clock.advance(Duration.ofMinutes(15));

        assertThat(close(idle)).as("idle for 35 of 30 minutes").isFalse();
        assertThat(close(used)).as("used 15 minutes ago").isTrue();
        assertThat(close(used)).as("closed already").isFalse();
    }

    private boolean close(OpenSessionResponse opened) {
        return service().closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                .setSessionId(opened.getSession().getId()).build()).getWasOpen();
    }

    @Test
    void reaper_deletesExpiredSessionsInBatchesWithOneEventEach_whileValidationKeepsAnswering() throws Exception {
        long now = sessiond.clock.millis();
        long longAgo = now - Duration.ofHours(2).toMillis();
        // The one dialect difference: how to make 100,000 rows and random UUIDs in SQL.
        String rows = sessiond.onPostgres() ? "generate_series(1, 100000)" : "SYSTEM_RANGE(1, 100000)";
        String uuid = sessiond.onPostgres() ? "gen_random_uuid()" : "RANDOM_UUID()";
        sessiond.database().useHandle(h -> h.createUpdate("""
                INSERT INTO sessions (id, secret_hash, user_id, application_id, client_kind, session_type,
                                      license_type, is_active, counts_seat, client_host, client_host_key, client_address,
                                      transport, instance_name, server_code, create_time_ms, last_activity_ms,
                                      lifetime_end_ms)
                SELECT %s, 'not-a-real-hash', :user, 'web-client', 'WEB', 'CLIENT', 'PERSONAL', TRUE, FALSE,
                       'old-host', 'old-host', '', 'grpc', 'default', 'sessiond', :t, :t, :end
                FROM %s""".formatted(uuid, rows))
                .bind("user", UUID.fromString(user.getId())).bind("t", longAgo)
                .bind("end", longAgo + Duration.ofDays(7).toMillis()).execute());
        OpenSessionResponse live = sessiond.login("uma", "uma-password", "web-client");
        SessionServerServiceBlockingStub service = service();
        var validation = ValidateAndGetSessionRequest.newBuilder().setToken(live.getToken()).build();

        assertThat(sessiond.reaper().reapBatch()).as("one batch is bounded").isEqualTo(1000);

        AtomicBoolean reaping = new AtomicBoolean(true);
        AtomicInteger validatedDuringReaping = new AtomicInteger();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                return sessiond.reaper().runOnce();
            } finally {
                reaping.set(false);
            }
        });
        for (int i = 0; i < 100_000 && reaping.get(); i++) { // bounded
            service.validateAndGetSession(validation);
            if (reaping.get()) {
                validatedDuringReaping.incrementAndGet();
            }
        }

        assertThat(run.get(120, TimeUnit.SECONDS)).isEqualTo(99_000);
        assertThat(validatedDuringReaping.get()).as("validations answered while the reaper ran").isPositive();
        assertThat(count("SELECT COUNT(*) FROM sessions WHERE client_host = 'old-host'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM session_events WHERE kind = 'EXPIRED'")).isEqualTo(100_000);
        assertThat(count("SELECT COUNT(DISTINCT session_id) FROM session_events WHERE kind = 'EXPIRED'"))
                .isEqualTo(100_000);
        service.validateAndGetSession(validation);
        assertThat(sessiond.reaper().runOnce()).isZero();
    }

    @Test
    void reaper_waitsForTheSafetyMarginAndSparesSessionsInUse() {
        OpenSessionResponse idle = sessiond.login("uma", "uma-password", "web-client");
        OpenSessionResponse used = sessiond.login("uma", "uma-password", "web-client");
        sessiond.clock.advance(Duration.ofMinutes(25));
        validate(used.getToken()); // remembered, not yet written (write interval 1m, flushed by a real-time timer)

        sessiond.clock.advance(Duration.ofMinutes(6));
        assertThat(sessiond.reaper().runOnce()).as("expired, but within the margin (two write intervals and 5 s)").isZero();
        sessiond.clock.advance(Duration.ofMinutes(2));
        assertThat(sessiond.reaper().runOnce()).isPositive();

        assertThat(sessiond.eventKinds(idle.getSession().getId())).containsExactly("OPENED", "EXPIRED");
        assertThat(sessiond.eventKinds(used.getSession().getId())).containsExactly("OPENED");
        validate(used.getToken());
    }

    @Test
    void reaper_deletesABusySessionAtTheEndOfItsLifetime() {
        OpenSessionResponse busy = sessiond.login("uma", "uma-password", "web-client");
        for (int i = 0; i < 7 * 24 * 4; i++) { // used every 15 minutes for seven days
            sessiond.clock.advance(Duration.ofMinutes(15));
            if (i < 7 * 24 * 4 - 1) {
                validate(busy.getToken());
            }
        }

        assertError(() -> validate(busy.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_EXPIRED");
        assertThat(sessiond.reaper().runOnce()).isGreaterThanOrEqualTo(1);
        assertThat(sessiond.eventKinds(busy.getSession().getId())).containsExactly("OPENED", "EXPIRED");
    }

    @Test
    void reaper_closesNestedSessionsWithTheirExpiredParent() {
        OpenSessionResponse parent = sessiond.login("uma", "uma-password", "web-client");
        User other = sessiond.createUser("vic", "", false, false);
        var nested = service().createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                .setParentToken(parent.getToken()).setUserId(other.getId()).build());

        sessiond.clock.advance(Duration.ofMinutes(20));
        validate(nested.getToken());
        sessiond.clock.advance(Duration.ofMinutes(20)); // parent idle 40 min, nested 20 min
        sessiond.reaper().runOnce();

        assertThat(sessiond.eventKinds(parent.getSession().getId())).containsExactly("OPENED", "EXPIRED");
        assertThat(sessiond.eventKinds(nested.getSession().getId()))
                .as("the nested session goes with its parent; it did not expire itself")
                .containsExactly("OPENED", "CLOSED_WITH_PARENT");
        assertError(() -> validate(nested.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
    }
}
