package dev.sessiond.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.CreateNestedSessionTokenRequest;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.IncrementConfigurationVersionRequest;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.SetPasswordRequest;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.auth.TokenCodec;
import dev.sessiond.server.auth.TokenKeys;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server at DEBUG, with its own logging configuration, through a whole scenario:
 * one line per call and per state change, and not one token, token hash (the stored
 * {@code sessions.secret_hash}) or password in the output — in text, and in JSON over TLS.
 */
class LogSecrecyIT {

    private static final String ALICE_PASSWORD = "correct-horse-battery-staple";
    private static final String ALICE_NEW_PASSWORD = "tr0ub4dor-and-3";
    private static final String WRONG_PASSWORD = "wrong-password-guess-42";

    @TempDir
    Path dir;

    /** What the scenario handed out: every secret that must not be logged. */
    private final List<String> tokens = new ArrayList<>();

    @Test
    void debugTextLog_ofAWholeScenario_holdsNoSecret() throws Exception {
        Map<String, String> settings = Map.of("SESSIOND_LOG_LEVEL", "DEBUG");
        String log = runScenario(settings, InsecureChannelCredentials.create(), "grpc");

        assertThat(log).contains("rpc sessiond.v1.SessionClientService/OpenSession OK")
                .contains("rpc sessiond.v1.SessionClientService/OpenSession UNAUTHENTICATED INVALID_CREDENTIALS")
                .contains("OPENED session=").contains("LOGIN_FAILED session=- user=alice")
                .contains("CLOSED_WITH_PARENT").contains("CONFIGURATION_VERSION_INCREMENTED")
                .contains("sessiond stopped");
        assertThat(log.lines()).as("a clean run warns of nothing (SIGTERM included: the activity is written)")
                .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        assertNoSecrets(log);
    }

    @Test
    void debugJsonLog_overTls_isOneObjectPerLine_andHoldsNoSecret() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir.resolve("tls"));
        Map<String, String> settings = Map.of("SESSIOND_LOG_LEVEL", "DEBUG", "SESSIOND_LOG_FORMAT", "json",
                "SESSIOND_TLS_CERT", certificate.certificate().toString(),
                "SESSIOND_TLS_KEY", certificate.privateKey().toString());
        ChannelCredentials tls = TlsChannelCredentials.newBuilder()
                .trustManager(certificate.certificate().toFile()).build();
        String log = runScenario(settings, tls, "grpc+tls");

        ObjectMapper json = new ObjectMapper();
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("server/server.stdout.log"))) {
            JsonNode event = json.readTree(line);
            assertThat(event.has("timestamp") && event.has("level") && event.has("loggerName")).as(line).isTrue();
            messages.add(event.get("formattedMessage").asText());
        }
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("rpc sessiond.v1.SessionClientService/OpenSession OK"))
                .anySatisfy(m -> assertThat(m).startsWith("OPENED session="))
                .anySatisfy(m -> assertThat(m).isEqualTo("sessiond stopped"));
        assertNoSecrets(log);
    }

    /** Runs the scenario against a fresh server, stops it with SIGTERM, and returns everything it printed. */
    private String runScenario(Map<String, String> settings, ChannelCredentials credentials, String transport)
            throws Exception {
        Path workDir = dir.resolve("server");
        ServerProcess server = ServerProcess.start(workDir, settings);
        String adminPassword = server.adminPassword();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), credentials).build();
        try {
            var client = SessionClientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            OpenSessionResponse admin = client.openSession(login("admin", adminPassword, "cli"));
            assertThat(admin.getSession().getTransport()).isEqualTo(transport);
            String adminToken = keep(admin.getToken());
            var users = Replica.as(adminToken, UserAdminServiceGrpc.newBlockingStub(channel));
            var sessions = Replica.as(adminToken, SessionServerServiceGrpc.newBlockingStub(channel));

            String aliceId = users.createUser(CreateUserRequest.newBuilder().setLogin("alice")
                    .setPassword(ALICE_PASSWORD).build()).getUser().getId();
            String alice = keep(client.openSession(login("alice", ALICE_PASSWORD, "web-client")).getToken());
            sessions.validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(alice).build());
            keep(sessions.createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                    .setParentToken(alice).setLogin("admin").setApplicationId("cli").build()).getToken());
            assertThat(catchThrowableOfType(StatusRuntimeException.class,
                    () -> client.openSession(login("alice", WRONG_PASSWORD, "web-client")))).isNotNull();
            Replica.as(alice, SessionClientServiceGrpc.newBlockingStub(channel))
                    .closeSession(CloseSessionRequest.getDefaultInstance());
            users.setPassword(SetPasswordRequest.newBuilder().setUserId(aliceId).setPassword(ALICE_NEW_PASSWORD).build());
            keep(client.openSession(login("alice", ALICE_NEW_PASSWORD, "desktop-client")).getToken());
            Replica.as(adminToken, SessionClientServiceGrpc.newBlockingStub(channel))
                    .incrementConfigurationVersion(IncrementConfigurationVersionRequest.getDefaultInstance());
            // a token that is not one: validation errors must not echo it either
            keep(adminToken.substring(0, adminToken.length() - 4) + "AAAA");
            assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> sessions.validateAndGetSession(
                    ValidateAndGetSessionRequest.newBuilder().setToken(tokens.getLast()).build()))).isNotNull();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            long stopping = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("SIGTERM exits well within the 10 s grace")
                    .isLessThan(Duration.ofSeconds(10));
        }
        secrets.put("admin password", adminPassword);
        return server.output();
    }

    private final Map<String, String> secrets = new HashMap<>(Map.of(
            "alice's password", ALICE_PASSWORD, "alice's new password", ALICE_NEW_PASSWORD,
            "a wrong password", WRONG_PASSWORD));

    private String keep(String token) {
        tokens.add(token);
        return token;
    }

    private void assertNoSecrets(String log) {
        TokenCodec codec = new TokenCodec(TokenKeys.loadOrCreate(dir.resolve("server/data/token-keys")),
                "sessiond", "default", Clock.systemUTC());
        for (String token : tokens) {
            String[] parts = token.split("\\.");
            secrets.put("a token", token);
            secrets.put("a token's payload", parts[2]);
            secrets.put("a token's signature", parts[3]);
            try {
                secrets.put("a token hash (sessions.secret_hash)", codec.verify(token).secretHash());
            } catch (RuntimeException forged) {
                // the forged token has no stored hash
            }
            secrets.forEach((what, secret) -> assertThat(log).as("the log holds %s", what).doesNotContain(secret));
        }
        assertThat(log).doesNotContainIgnoringCase("bearer ");
    }

    private static OpenSessionRequest login(String login, String password, String application) {
        return OpenSessionRequest.newBuilder().setLogin(login).setPassword(password).setApplicationId(application).build();
    }
}
