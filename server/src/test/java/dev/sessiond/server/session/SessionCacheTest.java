package dev.sessiond.server.session;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
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

/** Validation reuses sessions it read: exact for this server's own changes, bounded by the ttl for others'. */
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
