package dev.sessiond.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sessiond.client.OpenedSession;
import dev.sessiond.client.Paged;
import dev.sessiond.client.SessionException;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.client.Sessions;
import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.proto.v1.ListUsersRequest;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionEventKind;
import dev.sessiond.proto.v1.SessionInfoLevel;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's typed calls against a real server over TCP. */
class SdkClientIT {

    private static final String PASSWORD = "user-password";

    @TempDir
    static Path dir;
    static SdkTestServer server;
    static SessiondClient client;
    static SessiondClient admin;

    @BeforeAll
    static void start() {
        server = SdkTestServer.start(dir);
        client = server.client(b -> b.applicationId("web-client"));
        admin = client.withToken(server.adminToken(client));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static User newUser(String prefix) {
        return admin.users().createUser(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), PASSWORD, "");
    }

    @Test
    void listUsers_iteratesEveryPage_inLoginOrder() {
        String prefix = "pager-" + UUID.randomUUID().toString().substring(0, 4);
        for (int i = 0; i < 5; i++) {
            newUser(prefix);
        }

        Paged<User> users = admin.users().listUsers(ListUsersRequest.newBuilder().setPageSize(2).build());

        List<String> logins = users.stream().map(User::getLogin).toList();
        assertThat(logins.stream().filter(l -> l.startsWith(prefix))).hasSize(5);
        assertThat(logins).contains("admin").isSorted().doesNotHaveDuplicates();
        assertThat(admin.users().listUsersPage(ListUsersRequest.newBuilder().setPageSize(2).build()).getNextPageToken())
                .as("more than one page").isNotEmpty();
    }

    @Test
    void userAdmin_getUpdateSetPasswordDelete() {
        User user = newUser("crud");
        String token = client.openSession(user.getLogin(), PASSWORD).getToken();

        assertThat(admin.users().getUser(user.getId()).getLogin()).isEqualTo(user.getLogin());
        assertThat(admin.users().updateUser(user.toBuilder().setDisplayName("Carol C.").build(), List.of("display_name"))
                .getDisplayName()).isEqualTo("Carol C.");

        admin.users().setPassword(user.getId(), "new-password");
        assertThatThrownBy(() -> client.withToken(token).closeSession())
                .as("setting the password closed the user's sessions")
                .isInstanceOfSatisfying(SessionException.class,
                        e -> assertThat(e.reason()).isEqualTo(ErrorReason.SESSION_NOT_FOUND));
        assertThat(client.openSession(user.getLogin(), "new-password").getToken()).isNotEmpty();

        admin.users().deleteUser(user.getId());
        assertThatThrownBy(() -> admin.users().getUser(user.getId()))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_FOUND));
    }

    @Test
    void serverService_opensChecksAndEndsSessionsForUsers() {
        User user = newUser("trusted");
        SessiondClient service = admin; // an administrator may do what a service account may

        OpenedSession opened = OpenedSession.of(service.server().openSession(user.getLogin(), "orders-service"));
        String id = opened.sessionId();
        assertThat(opened.session().getUser().getId()).isEqualTo(user.getId());
        assertThat(Sessions.isNotWebOrDesktopClient(opened.session())).isTrue();

        assertThat(service.server().validateBasicFields(opened.token()).getSessionId()).isEqualTo(id);
        assertThat(service.server().tryGetSession(id)).map(Session::getId).contains(id);
        assertThat(service.server().updateLastActivity(id)).isTrue();
        assertThat(service.server().closeSession(id)).isTrue();
        assertThat(service.server().closeSession(id)).isFalse();
        assertThat(service.server().tryGetSession(id)).isEmpty();

        Session described = Session.newBuilder()
                .setUser(User.newBuilder().setLogin(user.getLogin()))
                .setApplicationId("desktop-client")
                .setClientHost("WS-100")
                .build();
        OpenedSession added = OpenedSession.of(service.server().addSession(described));
        assertThat(added.session().getClientHost()).isEqualTo("WS-100");
        assertThat(Sessions.isDesktopClient(added.session())).isTrue();
        assertThat(service.server().removeSession(added.sessionId())).isTrue();
        assertThat(server.eventKinds(added.sessionId())).containsExactly("OPENED");

        client.openSession(user.getLogin(), PASSWORD);
        client.openSession(user.getLogin(), PASSWORD);
        assertThat(service.server().deleteUserSessions(user.getId())).isEqualTo(2);
    }

    @Test
    void clientService_closesOwnAndOthersSessions() {
        User user = newUser("closer");
        var first = client.openSession(user.getLogin(), PASSWORD);
        var second = client.openSession(user.getLogin(), PASSWORD);
        assertThat(Sessions.isWebClient(first.getSession())).isTrue();

        assertThat(client.withToken(first.getToken()).closeSession()).isTrue();
        assertThat(admin.closeSessionAsAdmin(second.getSession().getId())).isTrue();
        assertThat(admin.closeSessionAsAdmin(second.getSession().getId())).isFalse();
        assertThat(server.eventKinds(second.getSession().getId())).containsExactly("OPENED", "CLOSED_BY_ADMIN");
    }

    @Test
    void asyncCalls_completeWithTheAnswer_orFailWithASessionException() {
        User user = newUser("async");
        String token = client.openSession(user.getLogin(), PASSWORD).getToken();

        Session session = admin.server().validateAndGetSessionAsync(
                ValidateAndGetSessionRequest.newBuilder().setToken(token).build()).join().getSession();
        assertThat(session.getUser().getLogin()).isEqualTo(user.getLogin());

        var refused = client.withToken(token).server().validateAndGetSessionAsync(
                ValidateAndGetSessionRequest.newBuilder().setToken(token).build());
        assertThatThrownBy(refused::join)
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(SessionException.class,
                        e -> assertThat(e.reason()).isEqualTo(ErrorReason.PERMISSION_DENIED));
    }

    /**
     * RPCs of capabilities other issues deliver: the SDK reaches sessiond's own handler (not
     * gRPC's "method not found"), which answers UNIMPLEMENTED today and something real later.
     */
    @Test
    void rpcsOfLaterCapabilities_reachTheServersHandler() {
        User user = newUser("later");
        String token = client.openSession(user.getLogin(), PASSWORD).getToken();
        String sessionId = admin.server().validateAndGetSession(token).getSession().getId();

        reachesHandler(() -> admin.server().setSessionIsActive(sessionId, true));
        reachesHandler(() -> admin.server().tryGetSessionIdToDeactivate(user.getId()));
        reachesHandler(() -> Sessions.createNestedSessionToken(admin, token, "admin", "orders-service"));
        reachesHandler(() -> admin.incrementConfigurationVersion());
        reachesHandler(() -> client.openSessionWindowsAuth(new byte[] {1, 2, 3}));
        reachesHandler(() -> admin.directory().enumSessions("", "", SessionInfoLevel.SESSION_INFO_LEVEL_1)
                .iterator().hasNext());
        reachesHandler(() -> admin.directory().getSessionInfo("WS-1", user.getLogin(), SessionInfoLevel.SESSION_INFO_LEVEL_0));
        reachesHandler(() -> admin.directory().deleteSessions("WS-1", ""));
        reachesHandler(() -> admin.directory().listSessionEvents(user.getId(), "", SessionEventKind.SESSION_EVENT_KIND_OPENED)
                .stream().findFirst());
    }

    private static void reachesHandler(Supplier<?> call) {
        SessionException e = catchThrowableOfType(SessionException.class, call::get);
        if (e != null && e.code() == Status.Code.UNIMPLEMENTED) {
            // gRPC itself says "Method not found: ..." for a method the server lacks
            assertThat(e.description()).doesNotStartWith("Method not found").isNotEmpty();
        } else if (e != null) {
            // served by now: any answer of sessiond's (a reason of its own) shows the call arrived
            assertThat(e.reasonName()).as("%s", e.getMessage()).isNotEmpty();
        }
    }

    @Test
    void tryGetSession_ofAnUnknownId_isEmpty() {
        Optional<Session> none = admin.server().tryGetSession(UUID.randomUUID().toString());
        assertThat(none).isEmpty();
    }
}
