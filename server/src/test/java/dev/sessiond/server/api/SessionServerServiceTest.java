package dev.sessiond.server.api;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static dev.sessiond.server.testing.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.sessiond.proto.v1.AddSessionRequest;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.DeleteUserSessionsRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.RemoveSessionRequest;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionRequest;
import dev.sessiond.proto.v1.SessionType;
import dev.sessiond.proto.v1.TryGetSessionRequest;
import dev.sessiond.proto.v1.UpdateLastActivityRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.proto.v1.ValidateBasicFieldsRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionServerServiceTest {

    @TempDir
    Path dir;

    TestServer sessiond;
    /** The caller: a service account, signed in afresh for every call so that moving the clock never expires it. */
    SessionServerServiceBlockingStub service;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir, Map.of(
                "SESSIOND_SESSION_IDLE_TIMEOUT", "30m",
                "SESSIOND_DESKTOP_IDLE_TIMEOUT", "8h",
                "SESSIOND_SESSION_MAX_LIFETIME", "2d"));
        sessiond.createUser("svc-caller", "svc-caller-password", false, true);
        service = sessiond.server().withInterceptors(new FreshLoginInterceptor());
    }

    /** Adds the authorization of a fresh service-account session to each call. */
    private final class FreshLoginInterceptor implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            String token = sessiond.login("svc-caller", "svc-caller-password", "web-api").getToken();
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                    super.start(listener, headers);
                }
            };
        }
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private OpenSessionResponse userSession(String login, String applicationId) {
        sessiond.createUser(login, login + "-password", false, false);
        return sessiond.login(login, login + "-password", applicationId);
    }

    private Session validate(String token) {
        return service.validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build())
                .getSession();
    }

    @Test
    void everyRpc_needsAServiceOrAdministratorSession() {
        String user = userSession("frank", "web-client").getToken();
        String admin = sessiond.adminToken();
        List<java.util.function.Function<SessionServerServiceBlockingStub, Object>> calls = List.of(
                s -> s.validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(user).build()),
                s -> s.validateBasicFields(ValidateBasicFieldsRequest.newBuilder().setToken(user).build()),
                s -> s.tryGetSession(TryGetSessionRequest.newBuilder().setSessionId(UUID.randomUUID().toString()).build()),
                s -> s.updateLastActivity(UpdateLastActivityRequest.newBuilder().setSessionId(UUID.randomUUID().toString()).build()),
                s -> s.closeSession(SessionServerServiceCloseSessionRequest.newBuilder().setSessionId(UUID.randomUUID().toString()).build()),
                s -> s.removeSession(RemoveSessionRequest.newBuilder().setSessionId(UUID.randomUUID().toString()).build()),
                s -> s.deleteUserSessions(DeleteUserSessionsRequest.newBuilder().setUserId(UUID.randomUUID().toString()).build()),
                s -> s.openSession(SessionServerServiceOpenSessionRequest.newBuilder().setLogin("frank").build()),
                s -> s.addSession(AddSessionRequest.newBuilder().setSession(Session.newBuilder()
                        .setUser(User.newBuilder().setLogin("frank"))).build()));
        for (var call : calls) {
            assertError(() -> call.apply(sessiond.server()), Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
            assertError(() -> call.apply(as(user, sessiond.server())), Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
            call.apply(as(admin, sessiond.server()));
        }
    }

    /** A signed token whose secret is not the session's (the row's hash changed, e.g. a restore) is refused. */
    @Test
    void validateAndGetSession_refusesATokenWhoseSecretIsNotTheSessions() {
        OpenSessionResponse opened = userSession("sybil", "web-client");
        String id = opened.getSession().getId();
        String stored = sessiond.database().withHandle(h -> h.createQuery("SELECT secret_hash FROM sessions WHERE id = :id")
                .bind("id", UUID.fromString(id)).mapTo(String.class).one());
        String changedLastCharacter = stored.substring(0, stored.length() - 1) + (stored.endsWith("0") ? "1" : "0");
        sessiond.database().useHandle(h -> h.createUpdate("UPDATE sessions SET secret_hash = :hash WHERE id = :id")
                .bind("hash", changedLastCharacter).bind("id", UUID.fromString(id)).execute());

        try (TestServer replica = sessiond.replica(dir.resolve("replica"), Map.of())) { // reads the row afresh
            assertError(() -> as(sessiond.serviceToken(), replica.server()).validateAndGetSession(
                    ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build()),
                    Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        }
    }

    @Test
    void validateAndGetSession_returnsTheSessionWithTheCallersCulture() {
        OpenSessionResponse opened = sessiond.login("admin", TestServer.ADMIN_PASSWORD, "web-client");

        var validated = with(service, Map.of("sessiond-client-culture", "de-DE", "sessiond-client-utc-offset", "-05:00"))
                .validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build());

        Session session = validated.getSession();
        assertThat(session.getId()).isEqualTo(opened.getSession().getId());
        assertThat(session.getUser().getLogin()).isEqualTo("admin");
        assertThat(session.getClientCulture()).isEqualTo("de-DE");
        assertThat(session.getClientUtcOffset()).isEqualTo(Durations.fromHours(-5));
        assertThat(validated.getConfigurationVersion()).isZero();
        assertThat(validate(opened.getToken()).getClientCulture()).as("a call without culture keeps the stored one")
                .isEmpty();
    }

    @Test
    void validateAndGetSession_rejectsBadTokens() {
        String token = userSession("gina", "web-client").getToken();
        int macStart = token.lastIndexOf('.') + 1;
        char flipped = token.charAt(macStart) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, macStart) + flipped + token.substring(macStart + 1);

        assertError(() -> validate(forged), Status.Code.UNAUTHENTICATED, "TOKEN_SIGNATURE_INVALID");
        assertError(() -> validate("garbage"), Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
        var info = assertError(() -> validate(""), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "token");
    }

    @Test
    void validateAndGetSession_tellsTheCallersOwnTokenFromTheValidatedOne() {
        String subject = userSession("gil", "web-client").getToken();
        String caller = sessiond.serviceToken();
        as(caller, sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance());

        var callerGone = assertError(() -> as(caller, sessiond.server()).validateAndGetSession(
                ValidateAndGetSessionRequest.newBuilder().setToken(subject).build()),
                Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        var subjectBad = assertError(() -> validate("garbage"), Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");

        assertThat(callerGone.getMetadataMap()).containsEntry("token", "authorization");
        assertThat(subjectBad.getMetadataMap()).doesNotContainKey("token");
    }

    @Test
    void validateAndGetSession_rejectsTokensOfAnotherDeployment() {
        // Same key file, other server code / instance name: the signature is fine, the deployment is not.
        String keyFile = sessiond.config.tokenKeyFile().toString();
        try (TestServer other = TestServer.start(dir.resolve("other"), Map.of(
                "SESSIOND_TOKEN_KEY_FILE", keyFile, "SESSIOND_SERVER_CODE", "other-code"))) {
            String foreign = other.adminToken();
            assertError(() -> validate(foreign), Status.Code.UNAUTHENTICATED, "SERVER_CODE_MISMATCH");
        }
        try (TestServer other = TestServer.start(dir.resolve("other2"), Map.of(
                "SESSIOND_TOKEN_KEY_FILE", keyFile, "SESSIOND_INSTANCE_NAME", "other-instance"))) {
            String foreign = other.adminToken();
            assertError(() -> validate(foreign), Status.Code.UNAUTHENTICATED, "INSTANCE_NAME_MISMATCH");
        }
        try (TestServer other = TestServer.start(dir.resolve("other3"))) {
            String foreign = other.adminToken();
            assertError(() -> validate(foreign), Status.Code.UNAUTHENTICATED, "TOKEN_SIGNATURE_INVALID");
        }
    }

    @Test
    void validateAndGetSession_enforcesTheIdleTimeout() {
        OpenSessionResponse opened = userSession("hank", "web-client");
        String token = opened.getToken();

        sessiond.clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        validate(token);
        sessiond.clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        validate(token);
        sessiond.clock.advance(Duration.ofMinutes(30).plusSeconds(1));

        assertError(() -> validate(token), Status.Code.UNAUTHENTICATED, "SESSION_EXPIRED");
        assertThat(service.tryGetSession(TryGetSessionRequest.newBuilder()
                .setSessionId(opened.getSession().getId()).build()).hasSession()).isFalse();
    }

    @Test
    void validateAndGetSession_givesDesktopClientsTheirOwnIdleTimeout() {
        String desktop = userSession("ivy", "desktop-client").getToken();
        String web = sessiond.login("ivy", "ivy-password", "web-client").getToken();

        sessiond.clock.advance(Duration.ofHours(2));

        assertThat(validate(desktop).getUser().getLogin()).isEqualTo("ivy");
        assertError(() -> validate(web), Status.Code.UNAUTHENTICATED, "SESSION_EXPIRED");
    }

    @Test
    void validateAndGetSession_endsABusySessionAtItsMaximumLifetime() {
        String token = userSession("jack", "web-client").getToken();

        for (int i = 0; i < 2 * 24 * 4 - 1; i++) { // every 15 minutes for just under two days
            sessiond.clock.advance(Duration.ofMinutes(15));
            validate(token);
        }
        sessiond.clock.advance(Duration.ofMinutes(15));

        assertError(() -> validate(token), Status.Code.UNAUTHENTICATED, "SESSION_EXPIRED");
        assertError(() -> service.validateBasicFields(ValidateBasicFieldsRequest.newBuilder().setToken(token).build()),
                Status.Code.UNAUTHENTICATED, "SESSION_EXPIRED");
    }

    @Test
    void validateBasicFields_checksTheTokenWithoutTheStore() {
        OpenSessionResponse opened = userSession("kate", "web-client");
        service.removeSession(RemoveSessionRequest.newBuilder().setSessionId(opened.getSession().getId()).build());

        var basic = service.validateBasicFields(ValidateBasicFieldsRequest.newBuilder()
                .setToken(opened.getToken()).build());

        assertThat(basic.getSessionId()).isEqualTo(opened.getSession().getId());
        assertThat(basic.getUserId()).isEqualTo(opened.getSession().getUser().getId());
        assertThat(Timestamps.toMillis(basic.getExpireTime()))
                .isEqualTo(Timestamps.toMillis(opened.getSession().getCreateTime()) + Duration.ofDays(2).toMillis());
    }

    @Test
    void tryGetSession_returnsOpenSessionsAndNothingElse() {
        OpenSessionResponse opened = userSession("liam", "web-client");
        String id = opened.getSession().getId();

        assertThat(service.tryGetSession(TryGetSessionRequest.newBuilder().setSessionId(id).build()).getSession().getId())
                .isEqualTo(id);
        assertThat(service.tryGetSession(TryGetSessionRequest.newBuilder()
                .setSessionId(UUID.randomUUID().toString()).build()).hasSession()).isFalse();
        var info = assertError(() -> service.tryGetSession(TryGetSessionRequest.newBuilder().setSessionId("42").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "session_id");
    }

    @Test
    void updateLastActivity_keepsASessionAlive() {
        OpenSessionResponse opened = userSession("mia", "web-client");
        var request = UpdateLastActivityRequest.newBuilder().setSessionId(opened.getSession().getId()).build();

        sessiond.clock.advance(Duration.ofMinutes(20));
        assertThat(service.updateLastActivity(request).getWasOpen()).isTrue();
        sessiond.clock.advance(Duration.ofMinutes(20));

        assertThat(validate(opened.getToken()).getId()).isEqualTo(opened.getSession().getId());
        assertThat(service.updateLastActivity(UpdateLastActivityRequest.newBuilder()
                .setSessionId(UUID.randomUUID().toString()).build()).getWasOpen()).isFalse();
    }

    @Test
    void closeSession_recordsAnEventAndRemoveSessionDoesNot() {
        OpenSessionResponse closed = userSession("noah", "web-client");
        OpenSessionResponse removed = sessiond.login("noah", "noah-password", "web-client");

        assertThat(service.closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                .setSessionId(closed.getSession().getId()).build()).getWasOpen()).isTrue();
        assertThat(service.removeSession(RemoveSessionRequest.newBuilder()
                .setSessionId(removed.getSession().getId()).build()).getWasOpen()).isTrue();

        assertThat(sessiond.eventKinds(closed.getSession().getId())).containsExactly("OPENED", "CLOSED");
        assertThat(sessiond.eventKinds(removed.getSession().getId())).containsExactly("OPENED");
        assertError(() -> validate(closed.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        assertError(() -> validate(removed.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        assertThat(service.closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                .setSessionId(closed.getSession().getId()).build()).getWasOpen()).isFalse();
        assertThat(service.removeSession(RemoveSessionRequest.newBuilder()
                .setSessionId(removed.getSession().getId()).build()).getWasOpen()).isFalse();
    }

    @Test
    void closeSession_ofAnExpiredSessionDeletesItButWasNotOpen() {
        OpenSessionResponse opened = userSession("olga", "web-client");
        sessiond.clock.advance(Duration.ofHours(1));

        assertThat(service.closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                .setSessionId(opened.getSession().getId()).build()).getWasOpen()).isFalse();
        assertThat(sessiond.eventKinds(opened.getSession().getId())).containsExactly("OPENED", "CLOSED");
    }

    @Test
    void deleteUserSessions_closesEverySessionOfTheUser() {
        OpenSessionResponse first = userSession("paul", "web-client");
        OpenSessionResponse second = sessiond.login("paul", "paul-password", "desktop-client");
        OpenSessionResponse bystander = userSession("quinn", "web-client");

        var deleted = service.deleteUserSessions(DeleteUserSessionsRequest.newBuilder()
                .setUserId(first.getSession().getUser().getId()).build());

        assertThat(deleted.getDeletedCount()).isEqualTo(2);
        assertError(() -> validate(first.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        assertError(() -> validate(second.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        assertThat(validate(bystander.getToken()).getUser().getLogin()).isEqualTo("quinn");
        assertThat(sessiond.eventKinds(first.getSession().getId())).containsExactly("OPENED", "USER_SESSIONS_DELETED");
    }

    @Test
    void openSession_opensForAUserWithoutPassword() {
        User user = sessiond.createUser("rita", "", false, false);

        var byId = service.openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                .setUserId(user.getId()).setApplicationId("web-api").build());
        var byLogin = service.openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                .setLogin("RITA").setType(SessionType.SESSION_TYPE_CLIENT).build());

        assertThat(byId.getSession().getType()).isEqualTo(SessionType.SESSION_TYPE_SERVER);
        assertThat(byId.getSession().getUser().getId()).isEqualTo(user.getId());
        assertThat(byLogin.getSession().getType()).isEqualTo(SessionType.SESSION_TYPE_CLIENT);
        assertThat(validate(byId.getToken()).getId()).isEqualTo(byId.getSession().getId());
        assertError(() -> sessiond.login("rita", "", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
    }

    @Test
    void openSession_givesServiceAccountsServiceSessions() {
        User svc = sessiond.createUser("svc-reports", "svc-password", false, true);

        var opened = service.openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                .setUserId(svc.getId()).build());

        assertThat(opened.getSession().getType()).isEqualTo(SessionType.SESSION_TYPE_SERVICE);
    }

    @Test
    void openSession_rejectsAmbiguousOrUnknownUsers() {
        User user = sessiond.createUser("sam", "", false, false);

        assertError(() -> service.openSession(SessionServerServiceOpenSessionRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> service.openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                .setUserId(user.getId()).setLogin("sam").build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> service.openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                .setUserId(UUID.randomUUID().toString()).build()), Status.Code.NOT_FOUND, "NOT_FOUND");
        assertError(() -> service.openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                .setLogin("nobody").build()), Status.Code.NOT_FOUND, "NOT_FOUND");
    }

    @Test
    void addSession_storesTheDescribedSession() {
        User user = sessiond.createUser("tara", "", false, false);
        String id = UUID.randomUUID().toString();
        var described = Session.newBuilder()
                .setId(id)
                .setUser(User.newBuilder().setId(user.getId()))
                .setApplicationId("desktop-client")
                .setClientCulture("fr-FR")
                .setClientHost("PC-7")
                .setClientAddress("10.1.2.3")
                .setClientUtcOffset(Durations.fromHours(1))
                .setServerCode("sessiond")
                .build();

        var added = service.addSession(AddSessionRequest.newBuilder().setSession(described).build());

        Session session = validate(added.getToken());
        assertThat(session.getId()).isEqualTo(id);
        assertThat(session.getClientCulture()).isEqualTo("fr-FR");
        assertThat(session.getClientHost()).isEqualTo("PC-7");
        assertThat(session.getClientAddress()).isEqualTo("10.1.2.3");
        assertThat(session.getClientUtcOffset()).isEqualTo(Durations.fromHours(1));
        assertThat(session.getType()).isEqualTo(SessionType.SESSION_TYPE_SERVER);
        assertError(() -> service.addSession(AddSessionRequest.newBuilder().setSession(described).build()),
                Status.Code.ALREADY_EXISTS, "ALREADY_EXISTS");
        var info = assertError(() -> service.addSession(AddSessionRequest.newBuilder()
                        .setSession(described.toBuilder().setId("").setServerCode("elsewhere")).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "session.server_code");
    }
}
