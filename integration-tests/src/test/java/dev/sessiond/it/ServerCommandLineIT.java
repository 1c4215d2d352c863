package dev.sessiond.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged server's command line as an operator meets it: help, and refusing bad settings (SPEC §8). */
class ServerCommandLineIT {

    /** "Within a few seconds": a JVM start plus reading the settings, nothing more. */
    private static final Duration QUICK_EXIT = Duration.ofSeconds(15);

    /** Settings the server has today, as --help prints them (per-domain LDAP settings in their <DOMAIN> form). */
    private static final List<String> VARIABLES = List.of(
            "SESSIOND_GRPC_PORT",
            "SESSIOND_DATA_DIR",
            "SESSIOND_DB_URL",
            "SESSIOND_DB_USER",
            "SESSIOND_DB_PASSWORD",
            "SESSIOND_DB_POOL_SIZE",
            "SESSIOND_SERVER_CODE",
            "SESSIOND_INSTANCE_NAME",
            "SESSIOND_TOKEN_KEY_FILE",
            "SESSIOND_ADMIN_LOGIN",
            "SESSIOND_ADMIN_PASSWORD",
            "SESSIOND_SESSION_IDLE_TIMEOUT",
            "SESSIOND_DESKTOP_IDLE_TIMEOUT",
            "SESSIOND_SESSION_MAX_LIFETIME",
            "SESSIOND_ACTIVITY_WRITE_INTERVAL",
            "SESSIOND_DESKTOP_APPLICATIONS",
            "SESSIOND_WEB_APPLICATIONS",
            "SESSIOND_DEFAULT_LICENSE_TYPE",
            "SESSIOND_SHUTDOWN_GRACE",
            "SESSIOND_LOG_LEVEL",
            "SESSIOND_LDAP_DOMAINS",
            "SESSIOND_LDAP_<DOMAIN>_URL",
            "SESSIOND_LDAP_<DOMAIN>_BIND_PASSWORD",
            "SESSIOND_LDAP_<DOMAIN>_TRUST_STORE",
            "SESSIOND_KERBEROS_KEYTAB",
            "SESSIOND_KERBEROS_PRINCIPAL",
            "SESSIOND_KERBEROS_REALMS",
            "SESSIOND_METRICS_PORT",
            "SESSIOND_LOG_FORMAT",
            "SESSIOND_TLS_CERT",
            "SESSIOND_TLS_KEY",
            "SESSIOND_TLS_CLIENT_CA",
            "SESSIOND_MAX_MESSAGE_SIZE",
            "SESSIOND_MAX_METADATA_SIZE",
            "SESSIOND_MAX_CALLS_PER_CONNECTION",
            "SESSIOND_KEEPALIVE_TIME",
            "SESSIOND_PERMIT_KEEPALIVE_TIME",
            "SESSIOND_MAX_RST_FRAMES",
            "SESSIOND_PASSWORD_HASH_CONCURRENCY",
            "SESSIOND_PASSWORD_HASH_QUEUE");

    /** A variable, or a per-domain one written with a placeholder: SESSIOND_LDAP_<DOMAIN>_URL ↔ --ldap-<domain>-url. */
    private static final Pattern VARIABLE = Pattern.compile("\\bSESSIOND_[A-Z0-9_<>]+\\b");

    @TempDir
    Path workDir;

    static Stream<Arguments> badSettings() {
        return Stream.of(
                arguments(Map.of("SESSIOND_GRPC_PORT", "notaport"), new String[0], "SESSIOND_GRPC_PORT", "notaport"),
                arguments(Map.of(), new String[] {"--grpc-port", "70000"}, "SESSIOND_GRPC_PORT", "70000"),
                arguments(Map.of("SESSIOND_SESSION_IDLE_TIMEOUT", "soon"), new String[0],
                        "SESSIOND_SESSION_IDLE_TIMEOUT", "soon"),
                arguments(Map.of("SESSIOND_LOG_LEVEL", "loud"), new String[0], "SESSIOND_LOG_LEVEL", "loud"),
                arguments(Map.of("SESSIOND_LDAP_DOMAINS", "CORP", "SESSIOND_LDAP_CORP_BASE_DN", "dc=corp"),
                        new String[] {"--ldap-corp-url", "http://dc.corp"}, "SESSIOND_LDAP_CORP_URL", "http://dc.corp"),
                arguments(Map.of("SESSIOND_LOG_FORMAT", "xml"), new String[0], "SESSIOND_LOG_FORMAT", "xml"),
                arguments(Map.of(), new String[] {"--metrics-port", "-1"}, "SESSIOND_METRICS_PORT", "-1"),
                arguments(Map.of("SESSIOND_MAX_MESSAGE_SIZE", "huge"), new String[0], "SESSIOND_MAX_MESSAGE_SIZE", "huge"),
                arguments(Map.of("SESSIOND_TLS_CERT", "/nonexistent/server.crt", "SESSIOND_TLS_KEY", "/nonexistent/k"),
                        new String[0], "SESSIOND_TLS_CERT", "/nonexistent/server.crt"),
                // readable, but not PEM: found when the TLS identity is read, still before anything starts
                arguments(Map.of("SESSIOND_TLS_CERT", "/etc/passwd", "SESSIOND_TLS_KEY", "/etc/passwd"),
                        new String[0], "SESSIOND_TLS_CERT", "/etc/passwd"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badSettings")
    void badSetting_stopsStartUpWithOneLineNamingTheVariable(
            Map<String, String> env, String[] args, String variable, String badValue) throws Exception {
        CompletedProcess run = ServerProcess.run(workDir, env, QUICK_EXIT, args);

        assertThat(run.exitCode()).as(run.describe()).isNotZero();
        assertThat(run.stderr().lines().toList()).as(run.describe())
                .singleElement()
                .satisfies(line -> assertThat(line).contains(variable).contains(badValue));
        assertThat(workDir.resolve("data")).as("nothing is created before the settings are read").doesNotExist();
    }

    @Test
    void help_listsEveryVariableWithItsFlag() throws Exception {
        CompletedProcess run = ServerProcess.run(workDir, Map.of(), QUICK_EXIT, "--help");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stderr()).as(run.describe()).isEmpty();
        // A setting's line starts with its flag and variable; a variable further right is only mentioned.
        Map<String, String> lineByVariable = new HashMap<>();
        for (String line : run.stdout().lines().toList()) {
            Matcher variable = VARIABLE.matcher(line);
            if (variable.find()) {
                lineByVariable.putIfAbsent(variable.group(), line);
            }
        }
        assertThat(lineByVariable.keySet()).as(run.stdout()).containsAll(VARIABLES);
        lineByVariable.forEach((variable, line) -> {
            // SESSIOND_GRPC_PORT <-> --grpc-port, on one line so the pair reads as one setting.
            String flag = "--" + variable.substring("SESSIOND_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
            assertThat(line).as("--help line of %s", variable).containsPattern("(^|\\s)" + flag + "(\\s|$)");
        });
        assertThat(workDir.resolve("data")).as("--help starts nothing").doesNotExist();
    }
}
