package dev.sessiond.server.api;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.Errors.assertStatus;
import static dev.sessiond.server.testing.TestServer.as;
import static dev.sessiond.server.testing.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.sessiond.proto.v1.ClientKind;
import dev.sessiond.proto.v1.CloseSessionAsAdminRequest;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthRequest;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionType;
import dev.sessiond.proto.v1.UpdateUserRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import com.google.protobuf.FieldMask;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionClientServiceTest {

    @TempDir
    Path dir;

    TestServer sessiond;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    @Test
    void openSession_returnsTokenAndSessionWithClientFacts() {
        User alice = sessiond.createUser("alice", "alice-password", false, false);
        var client = with(sessiond.client(), Map.of(
                "sessiond-client-culture", "ru-RU",
                "sessiond-client-ui-culture", "en-US",
                "sessiond-client-utc-offset", "+03:00",
                "sessiond-client-host", "WS-042"));

        OpenSessionResponse opened = client.openSession(OpenSessionRequest.newBuilder()
                .setLogin("alice").setPassword("alice-password").setApplicationId("web-client").build());

        assertThat(opened.getToken()).startsWith("sd1.").doesNotContain("alice-password");
        Session session = opened.getSession();
        assertThat(session.getId()).hasSize(36);
        assertThat(session.getUser().getId()).isEqualTo(alice.getId());
        assertThat(session.getUser().getLogin()).isEqualTo("alice");
        assertThat(session.getApplicationId()).isEqualTo("web-client");
        assertThat(session.getClientKind()).isEqualTo(ClientKind.CLIENT_KIND_WEB);
        assertThat(session.getType()).isEqualTo(SessionType.SESSION_TYPE_CLIENT);
        assertThat(session.getClientCulture()).isEqualTo("ru-RU");
        assertThat(session.getClientUiCulture()).isEqualTo("en-US");
        assertThat(session.getClientUtcOffset()).isEqualTo(Durations.fromHours(3));
        assertThat(session.getClientHost()).isEqualTo("WS-042");
        assertThat(session.getTransport()).isEqualTo("grpc");
        assertThat(session.getIsActive()).isTrue();
        assertThat(session.getServerCode()).isEqualTo("sessiond");
        assertThat(session.getInstanceName()).isEqualTo("default");
        assertThat(Timestamps.toMillis(session.getCreateTime())).isEqualTo(sessiond.clock.millis());
        assertThat(Timestamps.toMillis(session.getExpireTime()))
                .isEqualTo(sessiond.clock.millis() + Duration.ofMinutes(30).toMillis());
        assertThat(sessiond.eventKinds(session.getId())).containsExactly("OPENED");
    }

    @Test
    void openSession_classifiesApplications() {
        assertThat(sessiond.login("admin", TestServer.ADMIN_PASSWORD, "desktop-client").getSession().getClientKind())
                .isEqualTo(ClientKind.CLIENT_KIND_DESKTOP);
        assertThat(sessiond.login("admin", TestServer.ADMIN_PASSWORD, "web-api").getSession().getClientKind())
                .isEqualTo(ClientKind.CLIENT_KIND_WEB);
        assertThat(sessiond.login("admin", TestServer.ADMIN_PASSWORD, "chronos-plugin").getSession().getClientKind())
                .isEqualTo(ClientKind.CLIENT_KIND_OTHER);
    }

    @Test
    void openSession_matchesLoginWithoutRegardToCase() {
        sessiond.createUser("Bob", "bob-password", false, false);

        assertThat(sessiond.login("BOB", "bob-password", "cli").getSession().getUser().getLogin()).isEqualTo("Bob");
    }

    @Test
    void openSession_answersWrongPasswordAndUnknownLoginAlike() {
        sessiond.createUser("carol", "carol-password", false, false);

        var wrong = assertError(() -> sessiond.login("carol", "nope", "cli"),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        var unknown = assertError(() -> sessiond.login("nobody", "nope", "cli"),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertThat(wrong).isEqualTo(unknown);
        long failures = sessiond.database().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM session_events WHERE kind = 'LOGIN_FAILED'").mapTo(Long.class).one());
        assertThat(failures).isEqualTo(2);
    }

    @Test
    void openSession_reportsBlockedUserOnlyAfterTheRightPassword() {
        User dave = sessiond.createUser("dave", "dave-password", false, false);
        as(sessiond.adminToken(), sessiond.users()).updateUser(UpdateUserRequest.newBuilder()
                .setUser(dave.toBuilder().setIsBlocked(true))
                .setUpdateMask(FieldMask.newBuilder().addPaths("is_blocked")).build());

        assertError(() -> sessiond.login("dave", "wrong", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertError(() -> sessiond.login("dave", "dave-password", "cli"), Status.Code.PERMISSION_DENIED, "USER_BLOCKED");
    }

    @Test
    void openSession_rejectsBadInputNamingTheField() {
        var info = assertError(() -> sessiond.login("", "x", "cli"), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "login");

        info = assertError(() -> sessiond.login("x".repeat(257), "x", "cli"),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "login");

        info = assertError(() -> sessiond.login("admin", TestServer.ADMIN_PASSWORD, "a".repeat(129)),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "application_id");

        info = assertError(() -> sessiond.login("admin", "p".repeat(1025), "cli"),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "password");
    }

    @Test
    void openSession_rejectsMalformedCultureMetadataNamingTheKey() {
        var request = OpenSessionRequest.newBuilder()
                .setLogin("admin").setPassword(TestServer.ADMIN_PASSWORD).setApplicationId("cli").build();

        var info = assertError(() -> with(sessiond.client(), Map.of("sessiond-client-culture", "not a culture!"))
                .openSession(request), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "sessiond-client-culture");

        info = assertError(() -> with(sessiond.client(), Map.of("sessiond-client-utc-offset", "+3 hours"))
                .openSession(request), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "sessiond-client-utc-offset");
    }

    @Test
    void openSession_withDomain_isUnimplementedUntilDirectorySignIn() {
        var e = assertStatus(() -> sessiond.client().openSession(OpenSessionRequest.newBuilder()
                .setLogin("alice").setPassword("x").setDomain("CORP").build()), Status.Code.UNIMPLEMENTED);
        assertThat(e.getStatus().getDescription()).contains("LDAP");

        assertStatus(() -> sessiond.login("CORP\\alice", "x", "cli"), Status.Code.UNIMPLEMENTED);
    }

    @Test
    void closeSession_closesTheCallersOwnSession() {
        String token = sessiond.login("admin", TestServer.ADMIN_PASSWORD, "cli").getToken();

        assertThat(as(token, sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance()).getWasOpen())
                .isTrue();

        assertError(() -> as(token, sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        assertError(() -> as(sessiond.serviceToken(), sessiond.server())
                        .validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build()),
                Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
    }

    @Test
    void closeSession_needsAToken() {
        assertError(() -> sessiond.client().closeSession(CloseSessionRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
        assertError(() -> with(sessiond.client(), Map.of("authorization", "Basic YWRtaW46eA=="))
                        .closeSession(CloseSessionRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
    }

    @Test
    void closeSessionAsAdmin_closesAnySessionForAdministratorsOnly() {
        sessiond.createUser("erin", "erin-password", false, false);
        OpenSessionResponse erin = sessiond.login("erin", "erin-password", "web-client");
        OpenSessionResponse other = sessiond.login("erin", "erin-password", "web-client");
        var request = CloseSessionAsAdminRequest.newBuilder().setSessionId(other.getSession().getId()).build();

        assertError(() -> as(erin.getToken(), sessiond.client()).closeSessionAsAdmin(request),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");

        String admin = sessiond.adminToken();
        assertThat(as(admin, sessiond.client()).closeSessionAsAdmin(request).getWasOpen()).isTrue();
        assertThat(as(admin, sessiond.client()).closeSessionAsAdmin(request).getWasOpen()).isFalse();
        assertThat(sessiond.eventKinds(other.getSession().getId())).containsExactly("OPENED", "CLOSED_BY_ADMIN");

        var info = assertError(() -> as(admin, sessiond.client()).closeSessionAsAdmin(
                CloseSessionAsAdminRequest.newBuilder().setSessionId("not-a-uuid").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "session_id");
    }

    @Test
    void laterCapabilities_answerUnimplementedNamingThem() {
        var e = assertStatus(() -> sessiond.client().openSessionWindowsAuth(OpenSessionWindowsAuthRequest.newBuilder()
                .setSpnegoToken(ByteString.copyFromUtf8("x")).build()), Status.Code.UNIMPLEMENTED);
        assertThat(e.getStatus().getDescription()).contains("Kerberos");
    }
}
