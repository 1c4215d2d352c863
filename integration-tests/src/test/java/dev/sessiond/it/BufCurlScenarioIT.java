package dev.sessiond.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.rpc.ErrorInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, started with {@code java -jar} as its own process, driven only the way an
 * operator would drive it: {@code buf curl} with the schema from server reflection, no
 * generated stubs. One server serves every test of this class; each test uses its own sessions.
 */
class BufCurlScenarioIT {

    private static final String OPEN_SESSION = "sessiond.v1.SessionClientService/OpenSession";
    private static final String CLOSE_SESSION = "sessiond.v1.SessionClientService/CloseSession";
    private static final String CREATE_USER = "sessiond.v1.UserAdminService/CreateUser";
    private static final String VALIDATE = "sessiond.v1.SessionServerService/ValidateAndGetSession";
    private static final String HEALTH_CHECK = "grpc.health.v1.Health/Check";

    /** Every RPC of SPEC §2, plus health and both reflection versions (old and new grpcurl). */
    private static final List<String> CONTRACT_METHODS = List.of(
            "sessiond.v1.SessionClientService/OpenSession",
            "sessiond.v1.SessionClientService/OpenSessionWindowsAuth",
            "sessiond.v1.SessionClientService/CloseSession",
            "sessiond.v1.SessionClientService/CloseSessionAsAdmin",
            "sessiond.v1.SessionClientService/IncrementConfigurationVersion",
            "sessiond.v1.SessionServerService/OpenSession",
            "sessiond.v1.SessionServerService/AddSession",
            "sessiond.v1.SessionServerService/ValidateAndGetSession",
            "sessiond.v1.SessionServerService/ValidateBasicFields",
            "sessiond.v1.SessionServerService/TryGetSession",
            "sessiond.v1.SessionServerService/UpdateLastActivity",
            "sessiond.v1.SessionServerService/SetSessionIsActive",
            "sessiond.v1.SessionServerService/TryGetSessionIdToDeactivate",
            "sessiond.v1.SessionServerService/CloseSession",
            "sessiond.v1.SessionServerService/RemoveSession",
            "sessiond.v1.SessionServerService/DeleteUserSessions",
            "sessiond.v1.SessionServerService/CreateNestedSessionToken",
            "sessiond.v1.SessionDirectoryService/EnumSessions",
            "sessiond.v1.SessionDirectoryService/GetSessionInfo",
            "sessiond.v1.SessionDirectoryService/DeleteSessions",
            "sessiond.v1.SessionDirectoryService/ListSessionEvents",
            "sessiond.v1.UserAdminService/CreateUser",
            "sessiond.v1.UserAdminService/GetUser",
            "sessiond.v1.UserAdminService/ListUsers",
            "sessiond.v1.UserAdminService/UpdateUser",
            "sessiond.v1.UserAdminService/SetPassword",
            "sessiond.v1.UserAdminService/DeleteUser",
            "grpc.health.v1.Health/Check",
            "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo");

    @TempDir
    static Path workDir;

    private static ServerProcess server;
    private static BufCurl buf;

    @BeforeAll
    static void startServer() throws Exception {
        Path bufBinary = BufCurl.binary(); // before the server: a missing tool should not cost a server start
        server = ServerProcess.start(workDir);
        buf = new BufCurl(bufBinary, server.port());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void reflection_listsEveryServiceOfTheContract() throws Exception {
        BufCurl.Result listed = buf.listMethods();

        assertThat(listed.process().exitCode()).as(listed.process().describe()).isZero();
        List<String> methods = listed.process().stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(methods).as("methods listed through reflection").containsAll(CONTRACT_METHODS);
        assertThat(methods.stream().map(m -> m.substring(0, m.indexOf('/'))).distinct())
                .as("services listed through reflection")
                .containsExactlyInAnyOrder(
                        "sessiond.v1.SessionClientService",
                        "sessiond.v1.SessionServerService",
                        "sessiond.v1.SessionDirectoryService",
                        "sessiond.v1.UserAdminService",
                        "grpc.health.v1.Health",
                        "grpc.reflection.v1.ServerReflection",
                        "grpc.reflection.v1alpha.ServerReflection");
    }

    @Test
    void health_answersServing() throws Exception {
        JsonNode health = buf.call(HEALTH_CHECK, Map.of()).response();

        assertThat(health.path("status").asText()).isEqualTo("SERVING");
    }

    @Test
    void session_isOpenedValidatedAndClosed_withTheClientsCulture() throws Exception {
        String adminToken = openSession("admin", server.adminPassword(), "cli").path("token").asText();
        assertThat(adminToken).as("admin token").isNotEmpty();

        JsonNode created = buf.call(CREATE_USER,
                Map.of("login", "olga", "password", "olga-Pa55word", "display_name", "Olga"),
                bearer(adminToken)).response().path("user");
        assertThat(created.path("login").asText()).isEqualTo("olga");
        assertThat(created.path("id").asText()).as("new user's id").isNotEmpty();

        JsonNode opened = openSession("olga", "olga-Pa55word", "web-client",
                "sessiond-client-culture: ru-RU",
                "sessiond-client-ui-culture: en-US",
                "sessiond-client-utc-offset: +03:00",
                "sessiond-client-host: WS-042");
        String userToken = opened.path("token").asText();
        assertThat(userToken).as("user token").isNotEmpty();

        // The admin's own call carries no culture metadata: what comes back was stored at open.
        BufCurl.Result validated = buf.call(VALIDATE, Map.of("token", userToken), bearer(adminToken));
        JsonNode session = validated.response().path("session");
        assertThat(session.path("id").asText()).isEqualTo(opened.path("session").path("id").asText());
        assertThat(session.path("user").path("id").asText()).isEqualTo(created.path("id").asText());
        assertThat(session.path("user").path("login").asText()).isEqualTo("olga");
        assertThat(session.path("clientCulture").asText()).isEqualTo("ru-RU");
        assertThat(session.path("clientUiCulture").asText()).isEqualTo("en-US");
        assertThat(session.path("clientUtcOffset").asText()).isEqualTo("10800s");
        assertThat(session.path("clientHost").asText()).isEqualTo("WS-042");
        assertThat(session.path("clientKind").asText()).isEqualTo("CLIENT_KIND_WEB");
        assertThat(session.path("transport").asText()).isEqualTo("grpc");
        assertThat(validated.allOutput()).as("validation never echoes the token").doesNotContain(userToken);

        JsonNode closed = buf.call(CLOSE_SESSION, Map.of(), bearer(userToken)).response();
        assertThat(closed.path("wasOpen").asBoolean()).as("wasOpen").isTrue();

        BufCurl.Result revalidated = buf.call(VALIDATE, Map.of("token", userToken), bearer(adminToken));
        assertUnauthenticated(revalidated.error(), "SESSION_NOT_FOUND");
        assertThat(revalidated.allOutput()).as("errors never show the token").doesNotContain(userToken);
    }

    @Test
    void openSession_withWrongPassword_isInvalidCredentials() throws Exception {
        RpcError error = buf.call(OPEN_SESSION,
                Map.of("login", "admin", "password", "not-" + server.adminPassword(), "application_id", "cli"))
                .error();

        assertUnauthenticated(error, "INVALID_CREDENTIALS");
    }

    @Test
    void call_withoutAuthorization_isTokenMalformed() throws Exception {
        String adminToken = openSession("admin", server.adminPassword(), "cli").path("token").asText();

        // A valid token in the request body is what to check, not who is asking: the caller is still anonymous.
        RpcError error = buf.call(VALIDATE, Map.of("token", adminToken)).error();

        assertUnauthenticated(error, "TOKEN_MALFORMED");
    }

    private static JsonNode openSession(String login, String password, String applicationId, String... headers)
            throws Exception {
        return buf.call(OPEN_SESSION,
                Map.of("login", login, "password", password, "application_id", applicationId), headers).response();
    }

    private static String bearer(String token) {
        return "authorization: Bearer " + token;
    }

    private static void assertUnauthenticated(RpcError error, String reason) {
        assertThat(error.code()).as("status code of %s", error).isEqualTo("unauthenticated");
        ErrorInfo info = error.errorInfo();
        assertThat(info.getReason()).as("ErrorInfo.reason of %s", error).isEqualTo(reason);
        assertThat(info.getDomain()).as("ErrorInfo.domain of %s", error).isEqualTo("sessiond");
    }
}
