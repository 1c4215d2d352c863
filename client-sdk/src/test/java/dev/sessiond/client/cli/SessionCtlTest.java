package dev.sessiond.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a server: usage errors, and failures that never reach one. */
class SessionCtlTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {}

    private Run run(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SessionCtl.execute(args, env, new ByteArrayInputStream(stdin.getBytes()),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    private Map<String, String> env() {
        return Map.of("SESSIOND_TOKEN_FILE", dir.resolve("token").toString(), "SESSIOND_TARGET", "127.0.0.1:1");
    }

    @Test
    void usageErrors_exitWith2() {
        assertThat(run(env(), "").status()).isEqualTo(2);
        Run badLevel = run(env(), "", "sessions", "list", "--level", "3");
        assertThat(badLevel.status()).isEqualTo(2);
        assertThat(badLevel.err()).contains("--level: 3 (expected: 0, 1, 2, 10 or 502)");
        assertThat(run(env(), "", "sessions", "info", "--client", "WS-1").status()).as("--user is required")
                .isEqualTo(2);
    }

    @Test
    void withoutAToken_saysHowToLogIn() {
        Run run = run(env(), "", "sessions", "list");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("sessionctl: not logged in: run 'sessionctl login'");
    }

    @Test
    void anUnreachableServer_isReportedAsUnavailable_withoutThePassword() {
        Run run = run(env(), "secret-password\n", "--timeout", "5", "login", "admin");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("sessionctl: UNAVAILABLE: cannot reach sessiond at 127.0.0.1:1");
        assertThat(run.out() + run.err()).doesNotContain("secret-password");
    }

    @Test
    void login_withoutAnyPassword_refusesBeforeCallingTheServer() {
        Run run = run(env(), "", "login", "admin");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no password given");
    }
}
