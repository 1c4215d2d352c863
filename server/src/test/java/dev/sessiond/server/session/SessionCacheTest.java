package dev.sessiond.server.session;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.Eventually.eventually;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.FieldMask;
import dev.sessiond.proto.v1.IncrementConfigurationVersionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
import dev.sessiond.proto.v1.TryGetSessionRequest;
import dev.sessiond.proto.v1.UpdateLastActivityRequest;
import dev.sessiond.proto.v1.UpdateUserRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation (and TryGetSession, UpdateLastActivity) reuses sessions it read, and stays exact:
 * changes made through sessiond — on this server or, on PostgreSQL, on a replica sharing the
 * store — are seen at once, whatever the ttl; only changes made behind sessiond's back
 * (straight SQL) wait for the ttl.
 */
class SessionCacheTest {

    @TempDir
    Path dir;

    TestServer sessiond;
    SessionServerServiceBlockingStub service;
    User walt;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir, Map.of("SESSIOND_SESSION_CACHE_TTL", "500ms"));
        service = as(sessiond.adminToken(), sessiond.server());
        walt = sessiond.createUser("walt", "walt-password", false, false);
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private Session validate(String token) {
        return service.validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build())
                .getSession();
    }

    @Test
    void aChangeMadeBehindThisServersBack_isSeenWithinTheTtl() {
        OpenSessionResponse opened = sessiond.login("walt", "walt-password", "web-client");
        validate(opened.getToken());
        // Another server (here: straight SQL) deletes the session.
        sessiond.database().useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id = :id")
                .bind("id", UUID.fromString(opened.getSession().getId())).execute());

        sessiond.clock.advance(Duration.ofMillis(400));
        assertThat(validate(opened.getToken()).getId()).as("still within the ttl").isEqualTo(opened.getSession().getId());
        sessiond.clock.advance(Duration.ofMillis(101));
        assertError(() -> validate(opened.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
    }

    @Test
    void aCloseOnThisServer_isSeenAtOnce() {
        OpenSessionResponse opened = sessiond.login("walt", "walt-password", "web-client");
        validate(opened.getToken());

        service.closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                .setSessionId(opened.getSession().getId()).build());

        assertError(() -> validate(opened.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
    }

    @Test
    void aChangeOfTheUser_isSeenAtOnce() {
        OpenSessionResponse opened = sessiond.login("walt", "walt-password", "web-client");
        assertThat(validate(opened.getToken()).getUser().getIsAdmin()).isFalse();

        as(sessiond.adminToken(), sessiond.users()).updateUser(UpdateUserRequest.newBuilder()
                .setUser(walt.toBuilder().setIsAdmin(true)).setUpdateMask(FieldMask.newBuilder().addPaths("is_admin"))
                .build());

        assertThat(validate(opened.getToken()).getUser().getIsAdmin()).isTrue();
    }

    @Test
    void useThatAnotherServerWrote_isReadBeforeACachedSessionIsCalledIdle() {
        // A ttl longer than the idle time, so that what was cached is still there when it looks idle.
        try (TestServer cached = TestServer.start(dir.resolve("cached"), Map.of("SESSIOND_SESSION_CACHE_TTL", "1h"))) {
            cached.createUser("walt", "walt-password", false, false);
            OpenSessionResponse validated = cached.login("walt", "walt-password", "web-client");
            OpenSessionResponse looked = cached.login("walt", "walt-password", "web-client");
            var validate = ValidateAndGetSessionRequest.newBuilder().setToken(validated.getToken()).build();
            var tryGet = TryGetSessionRequest.newBuilder().setSessionId(looked.getSession().getId()).build();
            as(cached.adminToken(), cached.server()).validateAndGetSession(validate);
            as(cached.adminToken(), cached.server()).tryGetSession(tryGet); // both cached, last used now
            cached.clock.advance(Duration.ofMinutes(20));
            // Meanwhile both were used on another server, which wrote their activity.
            cached.database().useHandle(h -> h.createUpdate("UPDATE sessions SET last_activity_ms = :now")
                    .bind("now", cached.clock.millis()).execute());
            cached.clock.advance(Duration.ofMinutes(15)); // 35 minutes after the cached activity: idle by that alone

            var asFreshAdmin = as(cached.adminToken(), cached.server());
            assertThat(asFreshAdmin.validateAndGetSession(validate).getSession().getId())
                    .isEqualTo(validated.getSession().getId());
            assertThat(asFreshAdmin.tryGetSession(tryGet).hasSession()).isTrue();
        }
    }

    @Test
    void tryGetSessionAndUpdateLastActivity_readTheSessionLikeValidation() {
        OpenSessionResponse opened = sessiond.login("walt", "walt-password", "web-client");
        String id = opened.getSession().getId();
        var tryGet = TryGetSessionRequest.newBuilder().setSessionId(id).build();
        var touch = UpdateLastActivityRequest.newBuilder().setSessionId(id).build();
        assertThat(service.tryGetSession(tryGet).getSession().getId()).isEqualTo(id);
        // Deleted behind sessiond's back: within the ttl both still answer from what was read. Before the ttl's
        // last quarter (375 ms), where a hit would also queue a background re-read that finds the row gone and
        // races the second call.
        sessiond.database().useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id = :id")
                .bind("id", UUID.fromString(id)).execute());
        sessiond.clock.advance(Duration.ofMillis(300));
        assertThat(service.tryGetSession(tryGet).hasSession()).as("cached").isTrue();
        assertThat(service.updateLastActivity(touch).getWasOpen()).as("cached").isTrue();
        sessiond.clock.advance(Duration.ofMillis(201));
        assertThat(service.tryGetSession(tryGet).hasSession()).as("read again after the ttl").isFalse();
        assertThat(service.updateLastActivity(touch).getWasOpen()).isFalse();

        // A close through sessiond is seen at once.
        OpenSessionResponse other = sessiond.login("walt", "walt-password", "web-client");
        var tryGetOther = TryGetSessionRequest.newBuilder().setSessionId(other.getSession().getId()).build();
        assertThat(service.tryGetSession(tryGetOther).hasSession()).isTrue();
        service.closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                .setSessionId(other.getSession().getId()).build());
        assertThat(service.tryGetSession(tryGetOther).hasSession()).isFalse();
        assertThat(service.updateLastActivity(UpdateLastActivityRequest.newBuilder()
                .setSessionId(other.getSession().getId()).build()).getWasOpen()).isFalse();
    }

    @Test
    void aReplicaSharingTheStore_hearsOfChangesAtOnce_notAfterItsTtl(@TempDir Path replicaDir) {
        assumeTrue(sessiond.onPostgres(), "replicas share a PostgreSQL store; an embedded H2 store has one server");
        OpenSessionResponse opened = sessiond.login("walt", "walt-password", "web-client");
        try (TestServer replica = sessiond.replica(replicaDir, Map.of("SESSIOND_SESSION_CACHE_TTL", "1h"))) {
            SessionServerServiceBlockingStub onReplica = as(sessiond.adminToken(), replica.server());
            var request = ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build();
            assertThat(onReplica.validateAndGetSession(request).getSession().getUser().getIsAdmin()).isFalse();
            long version = onReplica.validateAndGetSession(request).getConfigurationVersion();

            // The clock stands still: only notices can make the replica drop what it cached.
            as(sessiond.adminToken(), sessiond.users()).updateUser(UpdateUserRequest.newBuilder()
                    .setUser(walt.toBuilder().setIsAdmin(true))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("is_admin")).build());
            eventually(() -> assertThat(onReplica.validateAndGetSession(request).getSession().getUser().getIsAdmin())
                    .isTrue());

            as(sessiond.adminToken(), sessiond.client())
                    .incrementConfigurationVersion(IncrementConfigurationVersionRequest.getDefaultInstance());
            eventually(() -> assertThat(onReplica.validateAndGetSession(request).getConfigurationVersion())
                    .isEqualTo(version + 1));

            service.closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                    .setSessionId(opened.getSession().getId()).build());
            eventually(() -> assertError(() -> onReplica.validateAndGetSession(request),
                    Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND"));
        }
    }

    @Test
    void aTtlOfZero_readsTheStoreEveryTime() {
        try (TestServer uncached = TestServer.start(dir.resolve("uncached"), Map.of("SESSIOND_SESSION_CACHE_TTL", "0"))) {
            var admin = as(uncached.adminToken(), uncached.server());
            OpenSessionResponse opened = uncached.login("admin", TestServer.ADMIN_PASSWORD, "web-client");
            var request = ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build();
            admin.validateAndGetSession(request);
            uncached.database().useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id = :id")
                    .bind("id", UUID.fromString(opened.getSession().getId())).execute());

            assertError(() -> admin.validateAndGetSession(request), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        }
    }
}
