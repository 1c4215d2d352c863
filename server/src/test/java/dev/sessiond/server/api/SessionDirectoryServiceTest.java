package dev.sessiond.server.api;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static dev.sessiond.server.testing.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.AddSessionRequest;
import dev.sessiond.proto.v1.AddSessionResponse;
import dev.sessiond.proto.v1.ClientKind;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.DeleteSessionsRequest;
import dev.sessiond.proto.v1.EnumSessionsRequest;
import dev.sessiond.proto.v1.EnumSessionsResponse;
import dev.sessiond.proto.v1.GetSessionInfoRequest;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.RemoveSessionRequest;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionClientType;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc.SessionDirectoryServiceBlockingStub;
import dev.sessiond.proto.v1.SessionInfo;
import dev.sessiond.proto.v1.SessionInfoFlag;
import dev.sessiond.proto.v1.SessionInfoLevel;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionDirectoryServiceTest {

    private static final String ADMIN_HOST = "ADMIN-PC";

    @TempDir
    Path dir;

    TestServer sessiond;
    SessionDirectoryServiceBlockingStub directory;
    /** An administrator token for SessionServerService calls (a desktop client, like the directory's). */
    String adminToken;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir, Map.of(
                "SESSIOND_SESSION_IDLE_TIMEOUT", "30m",
                "SESSIOND_DESKTOP_IDLE_TIMEOUT", "8h",
                "SESSIOND_SESSION_MAX_LIFETIME", "2d"));
        directory = adminStub();
        // Two administrator sessions (this one and the one for SessionServerService calls), each in
        // a millisecond of its own, so that every listing has a defined order.
        sessiond.clock.advance(Duration.ofMillis(1));
        adminToken = sessiond.adminToken();
        sessiond.clock.advance(Duration.ofMillis(1));
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    /** A fresh administrator session from ADMIN-PC (a desktop client, so it outlives the web idle timeout). */
    private SessionDirectoryServiceBlockingStub adminStub() {
        String token = with(sessiond.client(), Map.of("sessiond-client-host", ADMIN_HOST))
                .openSession(OpenSessionRequest.newBuilder().setLogin("admin")
                        .setPassword(TestServer.ADMIN_PASSWORD).setApplicationId("admin-console").build())
                .getToken();
        return as(token, sessiond.directory());
    }

    /** A session of {@code login} from {@code host}, described by a trusted caller (no password hashing). */
    private AddSessionResponse session(String login, String host, String applicationId) {
        return as(adminToken, sessiond.server()).addSession(AddSessionRequest.newBuilder().setSession(Session.newBuilder()
                .setUser(User.newBuilder().setLogin(login))
                .setClientHost(host)
                .setClientAddress("10.0.0.7")
                .setApplicationId(applicationId)).build());
    }

    /** A user created with {@link #adminToken}, so that no further administrator sessions appear in listings. */
    private void user(String login, boolean admin) {
        as(adminToken, sessiond.users()).createUser(CreateUserRequest.newBuilder()
                .setLogin(login).setPassword(login + "-password").setIsAdmin(admin).build());
    }

    private EnumSessionsResponse enumerate(String host, String user, SessionInfoLevel level) {
        return directory.enumSessions(EnumSessionsRequest.newBuilder()
                .setClientHost(host).setUserName(user).setLevel(level).setPageSize(1000).build());
    }

    private List<String> hosts(EnumSessionsResponse page) {
        return page.getSessionsList().stream().map(SessionInfo::getClientHost).toList();
    }

    private List<String> hostsAndUsers(String host, String user) {
        return enumerate(host, user, SessionInfoLevel.SESSION_INFO_LEVEL_10).getSessionsList().stream()
                .map(s -> s.getClientHost() + "/" + s.getUserName()).toList();
    }

    private void validate(String token) {
        as(adminToken, sessiond.server()).validateAndGetSession(
                ValidateAndGetSessionRequest.newBuilder().setToken(token).build());
    }

    private void assertClosed(String token) {
        assertError(() -> validate(token), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
    }

    @Test
    void everyRpc_needsAnAdministratorSession() {
        user("ursula", false);
        sessiond.createUser("svc-dir", "svc-dir-password", false, true);
        String userToken = sessiond.login("ursula", "ursula-password", "web-client").getToken();
        String serviceToken = sessiond.login("svc-dir", "svc-dir-password", "web-api").getToken();
        session("ursula", "WS-1", "web-client");
        List<Function<SessionDirectoryServiceBlockingStub, Object>> calls = List.of(
                s -> s.enumSessions(EnumSessionsRequest.getDefaultInstance()),
                s -> s.getSessionInfo(GetSessionInfoRequest.newBuilder().setClientHost("WS-1").setUserName("ursula").build()),
                s -> s.deleteSessions(DeleteSessionsRequest.newBuilder().setClientHost("nobody's host").build()));
        for (var call : calls) {
            assertError(() -> call.apply(sessiond.directory()), Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
            assertError(() -> call.apply(as(userToken, sessiond.directory())),
                    Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
            assertError(() -> call.apply(as(serviceToken, sessiond.directory())),
                    Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
            assertThat(call.apply(directory)).isNotNull();
        }
        assertThat(hostsAndUsers("WS-1", "ursula")).as("nothing was closed by the refused calls")
                .containsExactly("WS-1/ursula");
    }

    @Test
    void eachLevel_fillsExactlyItsFields() {
        user("vera", true);
        user("vince", false);
        String parent = session("vera", "WS-042", "desktop-client").getSession().getId();
        sessiond.database().useHandle(h -> h.execute("UPDATE sessions SET is_active = FALSE WHERE id = ?",
                UUID.fromString(parent)));
        nest(parent, Duration.ofMillis(1), "vince");
        nest(parent, Duration.ofMillis(2), "vince");
        sessiond.clock.advance(Duration.ofSeconds(130));

        Map<SessionInfoLevel, SessionInfo> expected = Map.of(
                SessionInfoLevel.SESSION_INFO_LEVEL_0, SessionInfo.newBuilder().setClientHost("WS-042").build(),
                SessionInfoLevel.SESSION_INFO_LEVEL_1, SessionInfo.newBuilder().setClientHost("WS-042")
                        .setUserName("vera").setOpenCount(2).setActiveSeconds(130).setIdleSeconds(130)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_ADMIN)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_INACTIVE)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_PLAINTEXT_TRANSPORT).build(),
                SessionInfoLevel.SESSION_INFO_LEVEL_2, SessionInfo.newBuilder().setClientHost("WS-042")
                        .setUserName("vera").setOpenCount(2).setActiveSeconds(130).setIdleSeconds(130)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_ADMIN)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_INACTIVE)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_PLAINTEXT_TRANSPORT)
                        .setClientType(SessionClientType.newBuilder().setApplicationId("desktop-client")
                                .setClientKind(ClientKind.CLIENT_KIND_DESKTOP)).build(),
                SessionInfoLevel.SESSION_INFO_LEVEL_10, SessionInfo.newBuilder().setClientHost("WS-042")
                        .setUserName("vera").setActiveSeconds(130).setIdleSeconds(130).build(),
                SessionInfoLevel.SESSION_INFO_LEVEL_502, SessionInfo.newBuilder().setClientHost("WS-042")
                        .setUserName("vera").setOpenCount(2).setActiveSeconds(130).setIdleSeconds(130)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_ADMIN)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_INACTIVE)
                        .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_PLAINTEXT_TRANSPORT)
                        .setClientType(SessionClientType.newBuilder().setApplicationId("desktop-client")
                                .setClientKind(ClientKind.CLIENT_KIND_DESKTOP))
                        .setTransport("grpc").setClientAddress("10.0.0.7").build());

        for (var level : expected.entrySet()) {
            EnumSessionsResponse listed = enumerate("ws-042", "VERA", level.getKey());
            SessionInfo got = directory.getSessionInfo(GetSessionInfoRequest.newBuilder()
                    .setClientHost("ws-042").setUserName("VERA").setLevel(level.getKey()).build()).getSession();
            assertThat(listed.getSessionsList()).as("EnumSessions at %s", level.getKey())
                    .containsExactly(level.getValue());
            assertThat(got).as("GetSessionInfo at %s", level.getKey()).isEqualTo(level.getValue());
        }
        assertThat(enumerate("WS-042", "vera", SessionInfoLevel.SESSION_INFO_LEVEL_UNSPECIFIED).getSessions(0))
                .as("an unspecified level is level 0")
                .isEqualTo(expected.get(SessionInfoLevel.SESSION_INFO_LEVEL_0));
        var info = assertError(() -> directory.enumSessions(EnumSessionsRequest.newBuilder().setLevelValue(99).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "level");
    }

    @Test
    void levelOne_reportsTheFlagsThatApplyAndIdleTimeSinceTheLastUse() {
        user("walt", false);
        var opened = session("walt", "WS-9", "web-client");
        sessiond.clock.advance(Duration.ofSeconds(100));
        validate(opened.getToken());
        sessiond.clock.advance(Duration.ofSeconds(7));

        SessionInfo info = enumerate("WS-9", "", SessionInfoLevel.SESSION_INFO_LEVEL_1).getSessions(0);

        assertThat(info.getFlagsList()).containsExactly(SessionInfoFlag.SESSION_INFO_FLAG_PLAINTEXT_TRANSPORT);
        assertThat(info.getOpenCount()).isZero();
        assertThat(info.getActiveSeconds()).isEqualTo(107);
        assertThat(info.getIdleSeconds()).as("idle since the validation, which is not written to the store yet")
                .isEqualTo(7);
    }

    @Test
    void filters_matchHostAndUserWithoutRegardToCase_aloneAndTogether() {
        user("alice", false);
        user("Bob", false);
        session("alice", "WS-1", "web-client");
        sessiond.clock.advance(Duration.ofMillis(1));
        session("alice", "ws-2", "web-client");
        sessiond.clock.advance(Duration.ofMillis(1));
        session("bob", "ws-1", "web-client");
        sessiond.clock.advance(Duration.ofMillis(1));
        session("BOB", "WS-2", "desktop-client");
        sessiond.clock.advance(Duration.ofMillis(1));
        session("alice", "WS-10", "web-client");

        assertThat(hostsAndUsers("ws-1", "")).containsExactly("WS-1/alice", "ws-1/Bob");
        assertThat(hostsAndUsers(" WS-1 ", "")).as("surrounding blanks are not part of a host name")
                .containsExactly("WS-1/alice", "ws-1/Bob");
        assertThat(hostsAndUsers("", "ALICE")).containsExactly("WS-1/alice", "ws-2/alice", "WS-10/alice");
        assertThat(hostsAndUsers("Ws-2", "bob")).containsExactly("WS-2/Bob");
        assertThat(hostsAndUsers("WS-3", "")).isEmpty();
        assertThat(hostsAndUsers("WS-1", "carol")).as("an unknown user").isEmpty();
        assertThat(hostsAndUsers("", "")).as("no filter: everyone, in the order the sessions were opened")
                .containsExactly(ADMIN_HOST + "/admin", "/admin", "WS-1/alice", "ws-2/alice", "ws-1/Bob", "WS-2/Bob",
                        "WS-10/alice");

        assertThat(enumerate("ws-1", "", SessionInfoLevel.SESSION_INFO_LEVEL_0).getTotalSize()).isEqualTo(2);
        assertThat(enumerate("", "alice", SessionInfoLevel.SESSION_INFO_LEVEL_0).getTotalSize()).isEqualTo(3);
        assertThat(enumerate("ws-2", "alice", SessionInfoLevel.SESSION_INFO_LEVEL_0).getTotalSize()).isEqualTo(1);
        assertThat(enumerate("", "carol", SessionInfoLevel.SESSION_INFO_LEVEL_0).getTotalSize()).isZero();
        var info = assertError(() -> enumerate("x".repeat(256), "", SessionInfoLevel.SESSION_INFO_LEVEL_0),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "client_host");
    }

    @Test
    void expiredSessions_areNotListedAsOpen() {
        user("xena", false);
        var web = session("xena", "WS-5", "web-client");
        sessiond.clock.advance(Duration.ofMillis(1));
        session("xena", "WS-5", "desktop-client");
        sessiond.clock.advance(Duration.ofMillis(1));
        var usedRecently = session("xena", "WS-5", "plugin-x");
        sessiond.clock.advance(Duration.ofMinutes(20));
        validate(usedRecently.getToken()); // remembered in memory; the store still says 20 minutes ago
        sessiond.clock.advance(Duration.ofMinutes(20));

        var page = enumerate("WS-5", "", SessionInfoLevel.SESSION_INFO_LEVEL_2);
        assertThat(page.getSessionsList()).extracting(s -> s.getClientType().getApplicationId())
                .as("the web session was idle for 40 of its 30 minutes, the desktop one for 40 of its 8 hours, "
                        + "the plug-in was used 20 minutes ago")
                .containsExactly("desktop-client", "plugin-x");
        assertThat(page.getTotalSize()).isEqualTo(2);
        assertThat(directory.deleteSessions(DeleteSessionsRequest.newBuilder().setClientHost("WS-5")
                .setUserName("xena").build()).getDeletedCount()).isEqualTo(2);
        assertThat(sessiond.eventKinds(web.getSession().getId())).as("an expired session is the reaper's")
                .containsExactly("OPENED");

        sessiond.clock.advance(Duration.ofDays(2));
        directory = adminStub();
        assertThat(enumerate("", "", SessionInfoLevel.SESSION_INFO_LEVEL_10).getSessionsList())
                .extracting(SessionInfo::getClientHost).as("only the new admin session is within its lifetime")
                .containsExactly(ADMIN_HOST);
    }

    @Test
    void paging_followsAip158() {
        user("yuri", false);
        for (int i = 0; i < 104; i++) {
            session("yuri", "PC-" + i, "web-client");
            sessiond.clock.advance(Duration.ofMillis(3));
        }
        var request = EnumSessionsRequest.newBuilder().setUserName("yuri").build();

        EnumSessionsResponse first = directory.enumSessions(request);
        session("yuri", "PC-104", "web-client");
        EnumSessionsResponse second = directory.enumSessions(request.toBuilder()
                .setPageToken(first.getNextPageToken()).build());

        assertThat(first.getSessionsCount()).as("page_size 0 means 100").isEqualTo(100);
        assertThat(first.getTotalSize()).isEqualTo(104);
        assertThat(first.getNextPageToken()).isNotEmpty();
        assertThat(hosts(second)).containsExactly("PC-100", "PC-101", "PC-102", "PC-103", "PC-104");
        assertThat(second.getTotalSize()).as("counted when the walk began").isEqualTo(104);
        assertThat(directory.enumSessions(request).getTotalSize()).as("a new walk counts again").isEqualTo(105);
        assertThat(second.getNextPageToken()).as("the last page").isEmpty();
        EnumSessionsResponse exact = directory.enumSessions(request.toBuilder().setPageSize(105).build());
        assertThat(exact.getSessionsCount()).isEqualTo(105);
        assertThat(exact.getNextPageToken()).as("a page that ends exactly at the end is the last").isEmpty();
        var info = assertError(() -> directory.enumSessions(request.toBuilder().setPageSize(-1).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "page_size");
        assertError(() -> directory.enumSessions(request.toBuilder().setPageSize(1001).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(directory.enumSessions(request.toBuilder().setPageSize(1000).build()).getSessionsCount())
                .isEqualTo(105);
    }

    @Test
    void pageTokens_areOpaqueAndBoundToTheirFilters() {
        user("zoe", false);
        for (int i = 0; i < 3; i++) {
            session("zoe", "WS-7", "web-client");
        }
        var request = EnumSessionsRequest.newBuilder().setClientHost("WS-7").setPageSize(1).build();
        String token = directory.enumSessions(request).getNextPageToken();

        assertThat(directory.enumSessions(request.toBuilder().setClientHost("ws-7").setPageToken(token).build())
                .getSessionsCount()).as("the same filter in other case").isEqualTo(1);
        List<String> refused = new ArrayList<>(List.of(
                "garbage", token + "A", token.substring(1), adminToken,
                token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A"),
                token.substring(0, 10) + (token.charAt(10) == 'x' ? 'y' : 'x') + token.substring(11)));
        for (String bad : refused) {
            var info = assertError(() -> directory.enumSessions(request.toBuilder().setPageToken(bad).build()),
                    Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
            assertThat(info.getMetadataMap()).as(bad).containsEntry("field", "page_token");
        }
        var otherFilter = assertError(() -> directory.enumSessions(request.toBuilder().setClientHost("WS-8")
                .setPageToken(token).build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(otherFilter.getMetadataMap()).containsEntry("field", "page_token");
        assertError(() -> directory.enumSessions(request.toBuilder().setUserName("zoe").setPageToken(token).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        try (TestServer other = TestServer.start(dir.resolve("other"))) {
            var otherAdmin = as(other.adminToken(), other.directory());
            assertError(() -> otherAdmin.enumSessions(request.toBuilder().setPageToken(token).build()),
                    Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        }
    }

    /**
     * Sessions are opened and closed between pages, some of them before the walk's position, some
     * at the very millisecond of it, some ahead of it. Every session that stays open through the
     * walk is listed exactly once; OFFSET paging would skip some when earlier sessions close, and
     * list some twice when sessions open before the position.
     */
    @Test
    void paging_listsEverySessionThatStaysOpenExactlyOnce_whileSessionsComeAndGo() {
        user("max", false);
        Instant start = sessiond.clock.instant();
        Set<String> stable = new HashSet<>();
        record Doomed(String host, String id) {}
        List<Doomed> doomed = new ArrayList<>();
        int n = 0;
        for (int ms = 0; ms < 30; ms++) {
            sessiond.clock.set(start.plusMillis(ms * 10L));
            for (int tie = 0; tie < 2; tie++) { // two sessions in the same millisecond: the id breaks the tie
                String host = "S-" + n++;
                session("max", host, "web-client");
                stable.add(host);
            }
            doomed.add(new Doomed("D-" + ms, session("max", "D-" + ms, "web-client").getSession().getId()));
        }
        var request = EnumSessionsRequest.newBuilder().setUserName("max").setPageSize(4)
                .setLevel(SessionInfoLevel.SESSION_INFO_LEVEL_0).build();

        List<String> seen = new ArrayList<>();
        Map<String, Integer> seenCountWhenClosed = new HashMap<>();
        EnumSessionsResponse page = directory.enumSessions(request);
        int pages = 1;
        int added = 0;
        while (true) {
            seen.addAll(hosts(page));
            if (page.getNextPageToken().isEmpty() || pages >= 100) {
                break;
            }
            // Between two pages: close a doomed session (alternately behind and ahead of the walk),
            // open one behind the walk, one somewhere in the walked range, and one at the end.
            if (!doomed.isEmpty()) {
                Doomed d = doomed.remove(pages % 2 == 0 ? 0 : doomed.size() - 1);
                as(adminToken, sessiond.server())
                        .removeSession(RemoveSessionRequest.newBuilder().setSessionId(d.id()).build());
                seenCountWhenClosed.put(d.host(), seen.size());
            }
            sessiond.clock.set(start.plusMillis(5));
            session("max", "N-" + added++, "web-client");
            sessiond.clock.set(start.plusMillis(pages % 30 * 10L));
            session("max", "N-" + added++, "web-client");
            sessiond.clock.set(start.plusMillis(400 + pages));
            session("max", "N-" + added++, "web-client");
            page = directory.enumSessions(request.toBuilder().setPageToken(page.getNextPageToken()).build());
            pages++;
        }

        assertThat(pages).as("the walk ended").isLessThan(100);
        assertThat(seen).as("no session twice").doesNotHaveDuplicates();
        assertThat(seen).as("every session open through the walk").containsAll(stable);
        seenCountWhenClosed.forEach((host, countThen) -> assertThat(seen.indexOf(host))
                .as("%s is not listed after it was closed", host).isLessThan(countThen));
        assertThat(seen).as("sessions opened at the end during the walk are reached").contains("N-2");
    }

    @Test
    void getSessionInfo_returnsTheNewestSessionOfTheUserOnTheHost() {
        user("nina", false);
        session("nina", "WS-3", "web-client");
        sessiond.clock.advance(Duration.ofSeconds(1));
        session("nina", "WS-3", "desktop-client");
        sessiond.clock.advance(Duration.ofSeconds(1));
        session("nina", "WS-4", "cli");

        SessionInfo info = directory.getSessionInfo(GetSessionInfoRequest.newBuilder().setClientHost("ws-3")
                .setUserName("NINA").setLevel(SessionInfoLevel.SESSION_INFO_LEVEL_2).build()).getSession();

        assertThat(info.getClientType().getApplicationId()).isEqualTo("desktop-client");
        assertThat(info.getUserName()).isEqualTo("nina");
        assertError(() -> directory.getSessionInfo(GetSessionInfoRequest.newBuilder().setClientHost("WS-5")
                .setUserName("nina").build()), Status.Code.NOT_FOUND, "NOT_FOUND");
        assertError(() -> directory.getSessionInfo(GetSessionInfoRequest.newBuilder().setClientHost("WS-3")
                .setUserName("nobody").build()), Status.Code.NOT_FOUND, "NOT_FOUND");
        var noHost = assertError(() -> directory.getSessionInfo(GetSessionInfoRequest.newBuilder()
                .setUserName("nina").build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(noHost.getMetadataMap()).containsEntry("field", "client_host");
        var noUser = assertError(() -> directory.getSessionInfo(GetSessionInfoRequest.newBuilder()
                .setClientHost("WS-3").build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(noUser.getMetadataMap()).containsEntry("field", "user_name");
    }

    @Test
    void deleteSessions_byHost_closesThatHostsSessionsWithAdminAuditEvents() {
        user("olga", false);
        user("pete", false);
        var olgaOnWs1 = session("olga", "WS-1", "web-client");
        var peteOnWs1 = session("pete", "ws-1", "web-client");
        var olgaOnWs2 = session("olga", "WS-2", "web-client");

        int deleted = directory.deleteSessions(DeleteSessionsRequest.newBuilder().setClientHost("Ws-1").build())
                .getDeletedCount();

        assertThat(deleted).isEqualTo(2);
        assertClosed(olgaOnWs1.getToken());
        assertClosed(peteOnWs1.getToken());
        validate(olgaOnWs2.getToken());
        assertThat(sessiond.eventKinds(olgaOnWs1.getSession().getId())).containsExactly("OPENED", "CLOSED_BY_ADMIN");
        assertThat(sessiond.eventKinds(peteOnWs1.getSession().getId())).containsExactly("OPENED", "CLOSED_BY_ADMIN");
        List<String> actors = sessiond.database().withHandle(h -> h.createQuery(
                "SELECT actor_login FROM session_events WHERE kind = 'CLOSED_BY_ADMIN'").mapTo(String.class).list());
        assertThat(actors).as("the administrator is the actor").containsExactly("admin", "admin");
        assertThat(directory.deleteSessions(DeleteSessionsRequest.newBuilder().setClientHost("WS-1").build())
                .getDeletedCount()).as("nothing left to delete").isZero();
    }

    @Test
    void deleteSessions_byUser_andByBoth() {
        user("quinn", false);
        user("rita", false);
        var quinn1 = session("quinn", "WS-1", "web-client");
        var quinn2 = session("quinn", "WS-2", "web-client");
        var rita1 = session("rita", "WS-1", "web-client");
        var rita2 = session("rita", "WS-2", "web-client");

        assertThat(directory.deleteSessions(DeleteSessionsRequest.newBuilder().setUserName("QUINN").build())
                .getDeletedCount()).isEqualTo(2);
        assertClosed(quinn1.getToken());
        assertClosed(quinn2.getToken());
        assertThat(directory.deleteSessions(DeleteSessionsRequest.newBuilder().setUserName("rita")
                .setClientHost("ws-2").build()).getDeletedCount()).isEqualTo(1);
        assertClosed(rita2.getToken());
        validate(rita1.getToken());
        assertThat(directory.deleteSessions(DeleteSessionsRequest.newBuilder().setUserName("nobody").build())
                .getDeletedCount()).isZero();
        var info = assertError(() -> directory.deleteSessions(DeleteSessionsRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "client_host");
        validate(rita1.getToken());
    }

    @Test
    void deleteSessions_closesNestedSessionsWithTheirParent() {
        user("sam", false);
        user("tess", false);
        String parent = session("sam", "WS-1", "web-client").getSession().getId();
        String childOfOtherUser = nest(parent, Duration.ofMillis(1), "tess");
        String grandchild = nest(childOfOtherUser, Duration.ofMillis(2), "tess");
        // Stamped a millisecond before its parent, as by a replica whose clock is a little behind:
        // newest-first order alone would close the parent first and this one only along with it.
        String childOfSam = nest(parent, Duration.ofMillis(-1), "sam");

        int deleted = directory.deleteSessions(DeleteSessionsRequest.newBuilder().setUserName("sam").build())
                .getDeletedCount();

        assertThat(deleted).as("the parent and its nested session of the same user").isEqualTo(2);
        assertThat(sessiond.eventKinds(parent)).containsExactly("OPENED", "CLOSED_BY_ADMIN");
        assertThat(sessiond.eventKinds(childOfSam)).as("matched itself").containsExactly("CLOSED_BY_ADMIN");
        assertThat(sessiond.eventKinds(childOfOtherUser)).containsExactly("CLOSED_WITH_PARENT");
        assertThat(sessiond.eventKinds(grandchild)).containsExactly("CLOSED_WITH_PARENT");
        int left = sessiond.database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions WHERE id IN (<ids>)")
                .bindList("ids", List.of(UUID.fromString(parent), UUID.fromString(childOfOtherUser),
                        UUID.fromString(grandchild), UUID.fromString(childOfSam)))
                .mapTo(Integer.class).one());
        assertThat(left).isZero();
    }

    /**
     * A session nested in {@code parentId}, written to the store directly: nested sessions are
     * opened by CreateNestedSessionToken, which this server does not serve yet.
     */
    private String nest(String parentId, Duration later, String login) {
        UUID id = UUID.randomUUID();
        sessiond.database().useHandle(h -> h.createUpdate("""
                        INSERT INTO sessions (id, secret_hash, user_id, parent_session_id, application_id, client_kind,
                            session_type, license_type, is_active, client_host, client_host_key, client_address,
                            transport, instance_name, server_code, create_time_ms, last_activity_ms, lifetime_end_ms)
                        SELECT :id, p.secret_hash, (SELECT u.id FROM users u WHERE u.login_key = :login),
                            p.id, p.application_id, p.client_kind, 'SERVER', p.license_type, TRUE, p.client_host,
                            p.client_host_key, p.client_address, p.transport, p.instance_name, p.server_code,
                            p.create_time_ms + :later, p.create_time_ms + :later, p.lifetime_end_ms
                        FROM sessions p WHERE p.id = :parent""")
                .bind("id", id).bind("parent", UUID.fromString(parentId)).bind("login", login)
                .bind("later", later.toMillis()).execute());
        return id.toString();
    }
}
