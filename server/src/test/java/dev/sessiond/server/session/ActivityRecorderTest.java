package dev.sessiond.server.session;

import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation must not write the database on every call (coalesced activity), yet expiry stays exact. */
class ActivityRecorderTest {

    @TempDir
    Path dir;

    TestServer sessiond;

    @BeforeEach
    void start() {
        // A long write interval: the scheduled flush never runs during the test.
        sessiond = TestServer.start(dir, Map.of(
                "SESSIOND_SESSION_IDLE_TIMEOUT", "10h", "SESSIOND_ACTIVITY_WRITE_INTERVAL", "1h"));
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private long storedLastActivity(String sessionId) {
        return sessiond.database().withHandle(h -> h.createQuery("SELECT last_activity_ms FROM sessions WHERE id = :id")
                .bind("id", UUID.fromString(sessionId)).mapTo(Long.class).one());
    }

    private long rowsWrittenSince(long before) {
        return sessiond.database().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM sessions WHERE last_activity_ms > :t").bind("t", before).mapTo(Long.class).one());
    }

    @Test
    void validation_remembersActivityWithoutWritingIt() {
        String adminToken = sessiond.adminToken();
        SessionServerServiceBlockingStub service = as(adminToken, sessiond.server());
        OpenSessionResponse opened = sessiond.login("admin", TestServer.ADMIN_PASSWORD, "web-client");
        long openedAt = storedLastActivity(opened.getSession().getId());

        for (int i = 0; i < 50; i++) {
            sessiond.clock.advance(Duration.ofMinutes(1));
            var session = service.validateAndGetSession(ValidateAndGetSessionRequest.newBuilder()
                    .setToken(opened.getToken()).build()).getSession();
            assertThat(Timestamps.toMillis(session.getLastActivityTime())).isEqualTo(sessiond.clock.millis());
        }

        assertThat(storedLastActivity(opened.getSession().getId())).as("no write per validation").isEqualTo(openedAt);
        assertThat(rowsWrittenSince(openedAt)).isZero();
    }

    @Test
    void validation_decidesExpiryFromTheRememberedActivity() {
        SessionServerServiceBlockingStub service = as(sessiond.adminToken(), sessiond.server());
        OpenSessionResponse opened = sessiond.login("admin", TestServer.ADMIN_PASSWORD, "web-client");
        var request = ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build();

        sessiond.clock.advance(Duration.ofHours(9));
        service.validateAndGetSession(request);
        sessiond.clock.advance(Duration.ofHours(9));

        // 18 h after opening, 9 h after the last (unwritten) use: still valid with a 10 h idle timeout.
        assertThat(service.validateAndGetSession(request).getSession().getId()).isEqualTo(opened.getSession().getId());
    }
}
