package dev.sessiond.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sessionctl} as an administrator uses it: the packaged jar, run as its own process
 * against the packaged server, also its own process. One server serves every test; each test
 * uses its own users and client hosts.
 */
class SessionCtlIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static ServerProcess server;
    private static SessionCtl admin;

    @BeforeAll
    static void startServerAndLogIn() throws Exception {
        server = ServerProcess.start(workDir);
        admin = SessionCtl.forServer(server.port(), workDir.resolve("admin-home/.config/sessiond/token"));
        String loggedIn = admin.withEnv("SESSIOND_PASSWORD", server.adminPassword()).ok("login", "admin");
        assertThat(loggedIn).startsWith("Logged in as admin");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Creates {@code login} with sessionctl and logs it in from {@code host} with its own login cache. */
    private SessionCtl userOn(String login, String host) throws Exception {
        String password = login + "-Pa55word";
        assertThat(admin.withEnv("SESSIOND_NEW_PASSWORD", password).ok("users", "create", login))
                .startsWith("Created user " + login);
        SessionCtl user = SessionCtl.forServer(server.port(), workDir.resolve(login + "-token"))
                .withEnv("SESSIOND_PASSWORD", password);
        user.ok("--client-host", host, "login", login, "--application", "web-client");
        return user;
    }

    @Test
    void login_cachesTheTokenInAnOwnerOnlyFile() throws Exception {
        assertThat(Files.getPosixFilePermissions(admin.tokenFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(admin.tokenFile().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(admin.tokenFile())).startsWith("sd1.");
    }

    @Test
    void login_withAWrongPassword_printsInvalidCredentialsAndExits1() throws Exception {
        SessionCtl stranger = SessionCtl.forServer(server.port(), workDir.resolve("stranger-token"))
                .withEnv("SESSIOND_PASSWORD", "not-the-password");

        CompletedProcess run = stranger.run("login", "admin");

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr()).as(run.describe()).startsWith("sessionctl: INVALID_CREDENTIALS: ");
        assertThat(run.stdout() + run.stderr()).doesNotContain("not-the-password");
        assertThat(Files.exists(stranger.tokenFile())).as("nothing cached").isFalse();
    }

    @Test
    void sessionsList_showsTheSessionJustOpened() throws Exception {
        userOn("lena", "WS-LIST-1");

        String table = admin.ok("sessions", "list", "--client", "ws-list-1");
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).as(table).matches("CLIENT +USER +CLIENT TYPE +OPENS +ACTIVE +IDLE +FLAGS");
        assertThat(lines.get(2)).as(table).matches("WS-LIST-1 +lena +web-client \\(web\\) +0 +\\d\\d:\\d\\d:\\d\\d +\\d\\d:\\d\\d:\\d\\d +plaintext");
        assertThat(table).as(table).contains("1 session.");

        List<String> json = admin.ok("sessions", "list", "--user", "LENA", "--level", "502", "--json").lines().toList();
        assertThat(json).as("one JSON line per session").hasSize(1);
        JsonNode info = JSON.readTree(json.get(0));
        assertThat(info.path("clientHost").asText()).isEqualTo("WS-LIST-1");
        assertThat(info.path("userName").asText()).isEqualTo("lena");
        assertThat(info.path("clientType").path("applicationId").asText()).isEqualTo("web-client");
        assertThat(info.path("transport").asText()).isEqualTo("grpc");
        assertThat(info.path("clientAddress").asText()).isEqualTo("127.0.0.1");

        String details = admin.ok("sessions", "info", "--client", "WS-LIST-1", "--user", "lena");
        assertThat(details).contains("Client           WS-LIST-1").contains("User name        lena");
    }

    @Test
    void sessionsDelete_endsTheSession() throws Exception {
        SessionCtl mark = userOn("mark", "WS-DEL-1");
        SessionCtl nora = userOn("nora", "WS-DEL-2");

        assertThat(admin.ok("sessions", "delete", "--client", "ws-del-1")).isEqualTo("Closed 1 session.\n");

        assertThat(admin.ok("sessions", "list", "--client", "WS-DEL-1")).contains("There are no entries in the list.");
        CompletedProcess info = admin.run("sessions", "info", "--client", "WS-DEL-1", "--user", "mark");
        assertThat(info.exitCode()).as(info.describe()).isEqualTo(1);
        assertThat(info.stderr()).startsWith("sessionctl: NOT_FOUND: ");
        CompletedProcess ended = mark.run("sessions", "list");
        assertThat(ended.stderr()).as("mark's own token no longer works").startsWith("sessionctl: SESSION_NOT_FOUND: ");
        CompletedProcess notAdmin = nora.run("sessions", "list");
        assertThat(notAdmin.exitCode()).isEqualTo(1);
        assertThat(notAdmin.stderr()).as("nora's session lives on, without the right to list")
                .startsWith("sessionctl: PERMISSION_DENIED: ");
        CompletedProcess everything = admin.run("sessions", "delete");
        assertThat(everything.exitCode()).isEqualTo(1);
        assertThat(everything.stderr()).startsWith("sessionctl: INVALID_ARGUMENT: ");
        assertThat(admin.ok("sessions", "delete", "--user", "nora", "--client", "WS-DEL-2")).isEqualTo("Closed 1 session.\n");
    }

    @Test
    void users_areListedBlockedAndGivenPasswords() throws Exception {
        SessionCtl olga = userOn("olga", "WS-USR-1");

        assertThat(admin.ok("users", "list")).containsPattern("(?m)^olga +olga +- +personal +no +[0-9a-f-]{36}$");
        assertThat(admin.ok("users", "block", "OLGA")).isEqualTo("Blocked olga.\n");
        CompletedProcess blocked = olga.run("login", "olga");
        assertThat(blocked.exitCode()).isEqualTo(1);
        assertThat(blocked.stderr()).startsWith("sessionctl: USER_BLOCKED: ");
        admin.ok("users", "block", "olga", "--unblock");
        assertThat(admin.withEnv("SESSIOND_NEW_PASSWORD", "olga-new-Pa55").ok("users", "set-password", "olga"))
                .startsWith("Password of olga set");
        assertThat(olga.run("login", "olga").stderr()).startsWith("sessionctl: INVALID_CREDENTIALS: ");
        assertThat(olga.withEnv("SESSIOND_PASSWORD", "olga-new-Pa55").ok("login", "olga")).startsWith("Logged in as olga");
        JsonNode listed = JSON.readTree(admin.ok("users", "list", "--json").lines()
                .filter(l -> l.contains("\"olga\"")).findFirst().orElseThrow());
        assertThat(listed.path("isBlocked").asBoolean()).isFalse();
    }
}
