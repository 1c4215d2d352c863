package dev.sessiond.it.sdk;

import dev.sessiond.client.SessiondClient;
import dev.sessiond.client.SessiondClientBuilder;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.server.SessiondServer;
import dev.sessiond.server.auth.PasswordHasher;
import dev.sessiond.server.config.Config;
import dev.sessiond.server.config.ConfigLoader;
import io.grpc.InsecureServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;

/**
 * A real sessiond ({@link SessiondServer}) in the test JVM, listening on a free port of
 * 127.0.0.1 over Netty, with its own data directory and in-memory H2 database, a known
 * administrator password and a {@link ShiftableClock}. The SDK talks to it over TCP like any
 * other client; the tests read its database to see what it stored. Not thread-safe to start
 * and close; thread-safe to call.
 */
final class SdkTestServer implements AutoCloseable {

    static final String ADMIN_PASSWORD = "admin-password-1";
    /** Cheap Argon2id: these tests are about the SDK, not hashing cost. */
    private static final PasswordHasher.Cost TEST_COST = new PasswordHasher.Cost(256, 1, 1);

    final ShiftableClock clock = new ShiftableClock();
    private final Config config;
    private final SessiondServer server;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private SdkTestServer(Map<String, String> env) throws IOException {
        config = ConfigLoader.load(env);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create());
        server = new SessiondServer(config, builder, clock, TEST_COST, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A server with its data under {@code dir} and the given extra settings (environment variable names). */
    static SdkTestServer start(Path dir, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("SESSIOND_DATA_DIR", dir.resolve("data").toString());
        env.put("SESSIOND_DB_URL", "jdbc:h2:mem:sdk-it-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        env.put("SESSIOND_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("SESSIOND_SHUTDOWN_GRACE", "2s");
        env.put("SESSIOND_METRICS_PORT", "0");
        env.putAll(settings);
        try {
            return new SdkTestServer(env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SdkTestServer start(Path dir) {
        return start(dir, Map.of());
    }

    /** The gRPC target of this server: {@code 127.0.0.1:<port>}. */
    String target() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.port();
    }

    /** An SDK client of this server, plaintext, with {@code configure} applied. */
    SessiondClient client(UnaryOperator<SessiondClientBuilder> configure) {
        return configure.apply(SessiondClient.builder().target(target()).plaintext()).build();
    }

    /** A fresh administrator session's token. */
    String adminToken(SessiondClient client) {
        return client.openSession("admin", ADMIN_PASSWORD).getToken();
    }

    /** Creates a user as the administrator. */
    User createUser(SessiondClient client, String login, String password, boolean admin, boolean service) {
        return client.withToken(adminToken(client)).users().createUser(CreateUserRequest.newBuilder()
                .setLogin(login).setPassword(password).setIsAdmin(admin).setIsService(service).build()).getUser();
    }

    /** Direct access to the server's database, for checking what it stored. */
    Jdbi database() {
        return Jdbi.create(config.database().url(), config.database().user(), config.database().password());
    }

    /** How many audit events of {@code kind} (e.g. {@code OPENED}) the server recorded for a user. */
    int eventCount(String kind, String userId) {
        return database().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM session_events WHERE kind = :kind AND user_id = :user")
                .bind("kind", kind).bind("user", UUID.fromString(userId)).mapTo(Integer.class).one());
    }

    /** Audit event kinds recorded for a session, oldest first. */
    java.util.List<String> eventKinds(String sessionId) {
        return database().withHandle(h -> h.createQuery(
                        "SELECT kind FROM session_events WHERE session_id = :id ORDER BY id")
                .bind("id", UUID.fromString(sessionId)).mapTo(String.class).list());
    }

    /** What the server printed to standard error. */
    String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
        // The in-memory database outlives connections (DB_CLOSE_DELAY=-1): drop it.
        try (Connection c = DriverManager.getConnection(config.database().url(), config.database().user(),
                config.database().password()); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already gone: a test may have shut the database down on purpose
        }
    }
}
