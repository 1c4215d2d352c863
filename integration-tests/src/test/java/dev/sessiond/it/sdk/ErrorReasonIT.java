package dev.sessiond.it.sdk;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sessiond.client.SessionException;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.User;
import io.grpc.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reason the server can produce today reaches SDK callers as a {@link SessionException}
 * with that reason and the status code SPEC §2 gives it. Each row provokes the reason from a
 * real server with real calls. Three servers share one token key file, so that a token of one
 * deployment has a valid signature on another and fails on its server code or instance name.
 */
class ErrorReasonIT {

    /** Reasons of the contract this server cannot produce yet; the issues that add them add rows. */
    private static final String PASSWORD = "user-password";

    @TempDir
    static Path dir;
    static SdkTestServer server;
    static SdkTestServer otherServerCode;
    static SdkTestServer otherInstance;
    static SessiondClient client;

    @BeforeAll
    static void start() {
        String keys = dir.resolve("shared-token-keys").toString();
        server = SdkTestServer.start(dir.resolve("main"), Map.of("SESSIOND_TOKEN_KEY_FILE", keys));
        otherServerCode = SdkTestServer.start(dir.resolve("other-code"), Map.of(
                "SESSIOND_TOKEN_KEY_FILE", keys, "SESSIOND_SERVER_CODE", "other-deployment"));
        otherInstance = SdkTestServer.start(dir.resolve("other-instance"), Map.of(
                "SESSIOND_TOKEN_KEY_FILE", keys, "SESSIOND_INSTANCE_NAME", "other-instance"));
        client = server.client(b -> b.applicationId("web-client").maxAttempts(1));
    }

    @AfterAll
    static void stop() {
        client.close();
        otherInstance.close();
        otherServerCode.close();
        server.close();
    }

    /** One reason: its status code by SPEC §2, and calls that make the server answer with it. */
    record Row(ErrorReason reason, Status.Code code, Consumer<SessiondClient> provoke) {
        @Override
        public String toString() {
            return reason.name();
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row(ErrorReason.INVALID_CREDENTIALS, Status.Code.UNAUTHENTICATED,
                    c -> c.openSession("admin", "not-the-password")),
            new Row(ErrorReason.USER_BLOCKED, Status.Code.PERMISSION_DENIED, c -> {
                User user = newUser(c, false);
                admin(c).users().updateUser(user.toBuilder().setIsBlocked(true).build(), List.of("is_blocked"));
                c.openSession(user.getLogin(), PASSWORD);
            }),
            new Row(ErrorReason.TOKEN_MALFORMED, Status.Code.UNAUTHENTICATED,
                    c -> c.withToken("not-a-token").closeSession()),
            new Row(ErrorReason.TOKEN_SIGNATURE_INVALID, Status.Code.UNAUTHENTICATED,
                    c -> c.withToken(withAnotherSignature(server.adminToken(c))).closeSession()),
            new Row(ErrorReason.SESSION_EXPIRED, Status.Code.UNAUTHENTICATED, c -> {
                String token = c.openSession(newUser(c, false).getLogin(), PASSWORD).getToken();
                server.clock.advance(Duration.ofMinutes(31)); // past the default 30 min idle timeout
                c.withToken(token).closeSession();
            }),
            new Row(ErrorReason.SESSION_NOT_FOUND, Status.Code.UNAUTHENTICATED, c -> {
                SessiondClient user = c.withToken(c.openSession(newUser(c, false).getLogin(), PASSWORD).getToken());
                user.closeSession();
                user.closeSession();
            }),
            new Row(ErrorReason.SERVER_CODE_MISMATCH, Status.Code.UNAUTHENTICATED,
                    c -> c.withToken(tokenOf(otherServerCode)).closeSession()),
            new Row(ErrorReason.INSTANCE_NAME_MISMATCH, Status.Code.UNAUTHENTICATED,
                    c -> c.withToken(tokenOf(otherInstance)).closeSession()),
            new Row(ErrorReason.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED, c -> {
                String token = c.openSession(newUser(c, false).getLogin(), PASSWORD).getToken();
                c.withToken(token).users().getUser(UUID.randomUUID().toString());
            }),
            new Row(ErrorReason.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT,
                    c -> c.openSession("", PASSWORD)),
            new Row(ErrorReason.NOT_FOUND, Status.Code.NOT_FOUND,
                    c -> admin(c).users().getUser(UUID.randomUUID().toString())),
            new Row(ErrorReason.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS,
                    c -> admin(c).users().createUser("admin", PASSWORD, "Second admin")),
            new Row(ErrorReason.STORE_UNAVAILABLE, Status.Code.UNAVAILABLE, c -> withStoreDown()),
            new Row(ErrorReason.LOGIN_THROTTLED, Status.Code.RESOURCE_EXHAUSTED, c -> {
                String login = newUser(c, false).getLogin();
                for (int i = 0; i < 6; i++) { // the default threshold is 5 failures in a row
                    try {
                        c.openSession(login, "wrong-password");
                    } catch (SessionException expected) {
                        if (expected.reason() == ErrorReason.LOGIN_THROTTLED) {
                            throw expected;
                        }
                    }
                }
            }),
            new Row(ErrorReason.LICENSE_LIMIT_REACHED, Status.Code.RESOURCE_EXHAUSTED,
                    c -> withOneSeat((seat, admin) -> {
                        seat.openSession(concurrentUser(admin), PASSWORD);
                        seat.openSession(concurrentUser(admin), PASSWORD);
                    })),
            new Row(ErrorReason.CANT_REACTIVATE_SESSION, Status.Code.FAILED_PRECONDITION,
                    c -> withOneSeat((seat, admin) -> {
                        var first = seat.openSession(concurrentUser(admin), PASSWORD);
                        admin.server().setSessionIsActive(first.getSession().getId(), false);
                        seat.openSession(concurrentUser(admin), PASSWORD);
                        admin.server().validateAndGetSession(first.getToken());
                    })));

    static Stream<Arguments> rows() {
        return ROWS.stream().map(Arguments::of);
    }

    @Test
    void theTable_coversEveryReasonOfTheContract() {
        Set<ErrorReason> covered = EnumSet.noneOf(ErrorReason.class);
        ROWS.forEach(row -> assertThat(covered.add(row.reason())).as("one row per reason: %s", row.reason()).isTrue());
        Set<ErrorReason> contract = EnumSet.allOf(ErrorReason.class);
        contract.removeAll(EnumSet.of(ErrorReason.ERROR_REASON_UNSPECIFIED, ErrorReason.UNRECOGNIZED));
        assertThat(covered).isEqualTo(contract);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theServersReason_reachesTheCallerAsASessionException(Row row) {
        SessionException e = catchThrowableOfType(SessionException.class, () -> row.provoke().accept(client));

        assertThat(e).as("the calls of %s must fail", row.reason()).isNotNull();
        assertThat(e.reason()).isEqualTo(row.reason());
        assertThat(e.reasonName()).isEqualTo(row.reason().name());
        assertThat(e.code()).isEqualTo(row.code());
        assertThat(e.getMessage()).startsWith(row.reason().name() + " (" + row.code().name() + "): ");
        if (row.reason() == ErrorReason.INVALID_ARGUMENT) {
            assertThat(e.field()).contains("login");
        }
    }

    @Test
    void anRpcTheServerIsNotConfiguredFor_isASessionExceptionWithoutReason() {
        SessionException e = catchThrowableOfType(SessionException.class,
                () -> client.openSessionWindowsAuth(new byte[] {1, 2, 3}));

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(e.reason()).isEqualTo(ErrorReason.ERROR_REASON_UNSPECIFIED);
        assertThat(e.description()).contains("Kerberos");
    }

    /** Runs {@code calls} against a server with one concurrent licence seat (client, admin view). */
    private static void withOneSeat(BiConsumer<SessiondClient, SessiondClient> calls) {
        try (SdkTestServer licensed = SdkTestServer.start(dir.resolve("one-seat-" + UUID.randomUUID()),
                        Map.of("SESSIOND_CONCURRENT_LICENSES", "1"));
                SessiondClient c = licensed.client(b -> b.applicationId("web-client").maxAttempts(1))) {
            calls.accept(c, c.withToken(licensed.adminToken(c)));
        }
    }

    /** A new concurrent-licence user (created by {@code admin}); returns its login. */
    private static String concurrentUser(SessiondClient admin) {
        String login = "seat-" + UUID.randomUUID().toString().substring(0, 8);
        admin.users().createUser(CreateUserRequest.newBuilder().setLogin(login).setPassword(PASSWORD)
                .setLicenseType(LicenseType.LICENSE_TYPE_CONCURRENT).build());
        return login;
    }

    private static SessiondClient admin(SessiondClient c) {
        return c.withToken(server.adminToken(c));
    }

    private static User newUser(SessiondClient c, boolean admin) {
        return server.createUser(c, "user-" + UUID.randomUUID().toString().substring(0, 8), PASSWORD, admin, false);
    }

    private static String tokenOf(SdkTestServer other) {
        try (SessiondClient c = other.client(b -> b)) {
            return other.adminToken(c);
        }
    }

    /** The token with the first character of its signature changed: still well-formed, no longer signed. */
    private static String withAnotherSignature(String token) {
        int mac = token.lastIndexOf('.') + 1;
        char first = token.charAt(mac);
        return token.substring(0, mac) + (first == 'A' ? 'B' : 'A') + token.substring(mac + 1);
    }

    /**
     * Starts a server on an in-memory database that may only be reopened while it exists, shuts
     * the database down under it, and signs in: the store is unreachable.
     */
    private static void withStoreDown() {
        String name = "jdbc:h2:mem:store-down-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection keeper = DriverManager.getConnection(name);
                SdkTestServer doomed = SdkTestServer.start(dir.resolve("store-down"),
                        Map.of("SESSIOND_DB_URL", name + ";IFEXISTS=TRUE"));
                SessiondClient c = doomed.client(b -> b.maxAttempts(1).deadline(Duration.ofSeconds(30)))) {
            try (Statement s = keeper.createStatement()) {
                s.execute("SHUTDOWN");
            }
            c.openSession("admin", SdkTestServer.ADMIN_PASSWORD);
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up the unreachable store", e);
        }
    }
}
