package dev.sessiond.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.server.session.ClientKind;
import dev.sessiond.server.session.SessionPolicy;
import dev.sessiond.server.transport.TransportSettings;
import dev.sessiond.server.user.LicenseType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private static final String[] NO_FLAGS = {};

    @Test
    void load_withNothingSet_usesTheDocumentedDefaults() {
        Config config = ConfigLoader.load(Map.of());

        assertThat(config.grpcPort()).isEqualTo(50051);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.database().url()).isEqualTo("jdbc:h2:file:./data/sessiond");
        assertThat(config.tokenKeyFile().getParent()).isEqualTo(config.dataDir());
        assertThat(config.adminLogin()).isEqualTo("admin");
        assertThat(config.adminPassword()).isEmpty();
        assertThat(config.defaultLicenseType()).isEqualTo(LicenseType.PERSONAL);
        SessionPolicy policy = config.sessionPolicy();
        assertThat(policy.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.desktopIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.maxLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(policy.activityWriteInterval())
                .isPositive()
                .isLessThanOrEqualTo(Duration.ofMinutes(3))
                .isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void load_withNothingSet_classifiesTheDefaultApplicationsOfSpec() {
        Config config = ConfigLoader.load(Map.of());

        assertThat(config.clientKinds().desktopApplications())
                .containsExactlyInAnyOrder("desktop-client", "admin-console", "cli");
        assertThat(config.clientKinds().webApplications()).containsExactlyInAnyOrder("web-client", "web-api");
        assertThat(config.clientKinds().of("cli")).isEqualTo(ClientKind.DESKTOP);
        assertThat(config.clientKinds().of("web-api")).isEqualTo(ClientKind.WEB);
        assertThat(config.clientKinds().of("billing-service")).isEqualTo(ClientKind.OTHER);
    }

    @Test
    void load_readsApplicationListsFromTheEnvironment() {
        Config config = ConfigLoader.load(Map.of(
                "SESSIOND_DESKTOP_APPLICATIONS", " erp-desktop , cli ,",
                "SESSIOND_WEB_APPLICATIONS", "portal"));

        assertThat(config.clientKinds().desktopApplications()).containsExactlyInAnyOrder("erp-desktop", "cli");
        assertThat(config.clientKinds().webApplications()).containsExactly("portal");
        assertThat(config.clientKinds().of("desktop-client")).isEqualTo(ClientKind.OTHER);
    }

    @Test
    void load_readsTheEnvironmentVariable() {
        assertThat(ConfigLoader.load(Map.of("SESSIOND_GRPC_PORT", "1111")).grpcPort()).isEqualTo(1111);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--grpc-port|1234",
        "--grpc-port=1234|",
    })
    void load_letsAFlagWinOverItsEnvironmentVariable(String first, String second) {
        String[] args = second == null ? new String[] {first} : new String[] {first, second};

        Config config = ConfigLoader.load(Map.of("SESSIOND_GRPC_PORT", "1111"), args);

        assertThat(config.grpcPort()).isEqualTo(1234);
    }

    @Test
    void load_readsSeveralFlags() {
        Config config = ConfigLoader.load(Map.of(),
                "--server-code", "acme", "--instance-name=eu-1", "--default-license-type", "concurrent");

        assertThat(config.serverCode()).isEqualTo("acme");
        assertThat(config.instanceName()).isEqualTo("eu-1");
        assertThat(config.defaultLicenseType()).isEqualTo(LicenseType.CONCURRENT);
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("SESSIOND_GRPC_PORT", "65536"),
                bad("SESSIOND_GRPC_PORT", "-1"),
                bad("SESSIOND_GRPC_PORT", "fifty"),
                bad("SESSIOND_GRPC_PORT", ""),
                bad("SESSIOND_GRPC_PORT", "50\n51"),
                bad("SESSIOND_DB_POOL_SIZE", "0"),
                bad("SESSIOND_SESSION_IDLE_TIMEOUT", "30x"),
                bad("SESSIOND_SESSION_IDLE_TIMEOUT", "0s"),
                bad("SESSIOND_SESSION_IDLE_TIMEOUT", "-PT5M"),
                bad("SESSIOND_SESSION_MAX_LIFETIME", "7 days"),
                bad("SESSIOND_SESSION_MAX_LIFETIME", "99999999999999999999d"),
                bad("SESSIOND_SHUTDOWN_GRACE", "10s\r\n20s"),
                bad("SESSIOND_DEFAULT_LICENSE_TYPE", "floating"),
                bad("SESSIOND_DB_URL", "jdbc:mysql://db.example/sessiond"),
                bad("SESSIOND_DB_URL", "postgresql://db.example/sessiond"),
                bad("SESSIOND_SERVER_CODE", "x".repeat(129)),
                bad("SESSIOND_INSTANCE_NAME", "eu\n1"),
                bad("SESSIOND_DATA_DIR", ""),
                bad("SESSIOND_ACTIVITY_WRITE_INTERVAL", "5m"), // idle 30m → at most 3m
                Arguments.of("SESSIOND_ACTIVITY_WRITE_INTERVAL",
                        Map.of("SESSIOND_DESKTOP_IDLE_TIMEOUT", "10m", "SESSIOND_ACTIVITY_WRITE_INTERVAL", "2m"),
                        NO_FLAGS),
                bad("SESSIOND_METRICS_PORT", "65536"),
                Arguments.of("SESSIOND_METRICS_PORT", Map.of("SESSIOND_GRPC_PORT", "9000", "SESSIOND_METRICS_PORT", "9000"),
                        NO_FLAGS),
                bad("SESSIOND_METRICS_STORE_MAX_AGE", "6m"),
                bad("SESSIOND_METRICS_STORE_MAX_AGE", "-5s"),
                bad("SESSIOND_LOG_FORMAT", "xml"),
                bad("SESSIOND_MAX_MESSAGE_SIZE", "64KB"),
                bad("SESSIOND_MAX_MESSAGE_SIZE", "512"), // below 1 KiB
                bad("SESSIOND_MAX_MESSAGE_SIZE", "65MiB"),
                bad("SESSIOND_MAX_METADATA_SIZE", "-8KiB"),
                bad("SESSIOND_MAX_CALLS_PER_CONNECTION", "0"),
                bad("SESSIOND_KEEPALIVE_TIME", "5s"), // grpc-java's floor is 10 s
                bad("SESSIOND_PERMIT_KEEPALIVE_TIME", "never"),
                bad("SESSIOND_MAX_RST_FRAMES", "-1"),
                bad("SESSIOND_PASSWORD_HASH_CONCURRENCY", "0"),
                bad("SESSIOND_PASSWORD_HASH_QUEUE", "-1"),
                Arguments.of("SESSIOND_GRPC_PORT", Map.of(), new String[] {"--grpc-port"}),
                Arguments.of("SESSIOND_GRPC_PORT", Map.of(), new String[] {"--grpc-port=none"}),
                Arguments.of("SESSIOND_GRPC_PORT", Map.of(), new String[] {"--grpc-port", "--data-dir", "/x"}),
                Arguments.of("SESSIOND_GRPC_PORT", Map.of("SESSIOND_GRPC_PORT", "1"), new String[] {"--grpc-port", "70000"}),
                Arguments.of("SESSIOND_SESSION_IDLE_TIMEOUT", Map.of(), new String[] {"--session-idle-timeout", "soon"}),
                Arguments.of("--no-such-flag", Map.of(), new String[] {"--no-such-flag", "1"}),
                Arguments.of("stray", Map.of(), new String[] {"stray"}));
    }

    private static Arguments bad(String variable, String value) {
        return Arguments.of(variable, Map.of(variable, value), NO_FLAGS);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badSettings")
    void load_rejectsABadValueWithOneLineNamingTheVariable(String variable, Map<String, String> env, String[] args) {
        assertThatThrownBy(() -> ConfigLoader.load(env, args))
                .isInstanceOf(ConfigException.class)
                .message()
                .startsWith(variable + ": ")
                .doesNotContain("\n")
                .doesNotContain("\r");
    }

    @Test
    void load_withNothingSet_usesTheDocumentedOperationsDefaults() {
        Config config = ConfigLoader.load(Map.of());

        assertThat(config.metricsPort()).isEqualTo(9464);
        assertThat(config.metricsStoreMaxAge()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.logFormat()).isEqualTo("text");
        assertThat(config.transport()).isEqualTo(TransportSettings.DEFAULTS);
        assertThat(config.transport().tls()).isEmpty();
        assertThat(config.transport().maxMessageBytes()).isEqualTo(64 * 1024);
        assertThat(config.transport().maxMetadataBytes()).isEqualTo(8 * 1024);
        assertThat(config.transport().maxConcurrentCallsPerConnection()).isEqualTo(100);
        assertThat(config.transport().maxRstFrames()).isEqualTo(200);
        assertThat(config.hashing().concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.hashing().queue()).isEqualTo(512);
        assertThat(config.hashing().maxWait()).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @CsvSource({"65536, 65536", "64KiB, 65536", "1MiB, 1048576", "2 kib, 2048"})
    void load_acceptsSizesInBytesKibOrMib(String text, int bytes) {
        assertThat(ConfigLoader.load(Map.of("SESSIOND_MAX_MESSAGE_SIZE", text)).transport().maxMessageBytes())
                .isEqualTo(bytes);
    }

    @Test
    void load_readsTheTransportAndOperationsSettings() {
        Config config = ConfigLoader.load(Map.of("SESSIOND_METRICS_PORT", "0", "SESSIOND_METRICS_STORE_MAX_AGE", "0",
                "SESSIOND_LOG_FORMAT", "JSON",
                "SESSIOND_MAX_CONNECTION_IDLE", "5m", "SESSIOND_RST_FRAMES_WINDOW", "10s",
                "SESSIOND_PASSWORD_HASH_CONCURRENCY", "3", "SESSIOND_PASSWORD_HASH_MAX_WAIT", "250ms"),
                "--max-calls-per-connection", "7");

        assertThat(config.metricsPort()).isZero();
        assertThat(config.metricsStoreMaxAge()).isZero();
        assertThat(config.logFormat()).isEqualTo("json");
        assertThat(config.transport().maxConnectionIdle()).contains(Duration.ofMinutes(5));
        assertThat(config.transport().maxConnectionAge()).isEmpty();
        assertThat(config.transport().rstFramesWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.transport().maxConcurrentCallsPerConnection()).isEqualTo(7);
        assertThat(config.hashing().concurrency()).isEqualTo(3);
        assertThat(config.hashing().maxWait()).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "45s,   PT45S",
        "30m,   PT30M",
        "8h,    PT8H",
        "7d,    PT168H",
        "PT30M, PT30M",
        "pt1h30m, PT1H30M",
        "' 90s ', PT1M30S",
    })
    void load_acceptsShortAndIsoDurations(String text, Duration expected) {
        Config config = ConfigLoader.load(Map.of("SESSIOND_SHUTDOWN_GRACE", text));

        assertThat(config.shutdownGrace()).isEqualTo(expected);
    }

    @Test
    void load_defaultsTheActivityIntervalToATenthOfAShortIdleTimeout() {
        Config config = ConfigLoader.load(Map.of("SESSIOND_SESSION_IDLE_TIMEOUT", "1m"));

        assertThat(config.sessionPolicy().activityWriteInterval())
                .isPositive()
                .isLessThanOrEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void load_acceptsAnActivityIntervalOfExactlyATenthOfTheIdleTimeout() {
        Config config = ConfigLoader.load(Map.of(
                "SESSIOND_SESSION_IDLE_TIMEOUT", "30m", "SESSIOND_ACTIVITY_WRITE_INTERVAL", "3m"));

        assertThat(config.sessionPolicy().activityWriteInterval()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void dataDir_movesTheDefaultDatabaseAndTokenKeyFile() {
        Config config = ConfigLoader.load(Map.of("SESSIOND_DATA_DIR", "/srv/sessiond"));

        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/sessiond"));
        assertThat(config.database().url()).isEqualTo("jdbc:h2:file:/srv/sessiond/sessiond");
        assertThat(config.tokenKeyFile()).isEqualTo(Path.of("/srv/sessiond/token-keys"));
    }

    @Test
    void dataDir_doesNotOverrideAnExplicitDatabaseUrlOrKeyFile() {
        Config config = ConfigLoader.load(Map.of(
                "SESSIOND_DATA_DIR", "/srv/sessiond",
                "SESSIOND_DB_URL", "jdbc:postgresql://db.example:5432/sessiond",
                "SESSIOND_TOKEN_KEY_FILE", "/etc/sessiond/keys"));

        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db.example:5432/sessiond");
        assertThat(config.tokenKeyFile()).isEqualTo(Path.of("/etc/sessiond/keys"));
    }

    @Test
    void toString_hidesThePasswords() {
        Config config = ConfigLoader.load(Map.of(
                "SESSIOND_DB_USER", "sessiond",
                "SESSIOND_DB_PASSWORD", "db-Pa55-word",
                "SESSIOND_ADMIN_PASSWORD", "admin-Pa55-word"));
        assertThat(config.database().password()).isEqualTo("db-Pa55-word");
        assertThat(config.adminPassword()).contains("admin-Pa55-word");

        assertThat(config.toString())
                .contains("sessiond")
                .doesNotContain("db-Pa55-word")
                .doesNotContain("admin-Pa55-word");
        assertThat(config.database().toString()).doesNotContain("db-Pa55-word");
    }

    @Test
    void toString_hidesAPasswordWrittenIntoTheDatabaseUrl() {
        Config config = ConfigLoader.load(Map.of(
                "SESSIOND_DB_URL", "jdbc:postgresql://db/sessiond?user=s&password=url-Pa55&ssl=true"));

        assertThat(config.toString()).doesNotContain("url-Pa55").contains("password=***&ssl=true");
    }
}
