package dev.sessiond.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.EnumSessionsRequest;
import dev.sessiond.proto.v1.EnumSessionsResponse;
import dev.sessiond.proto.v1.GetSessionInfoRequest;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc.SessionDirectoryServiceBlockingStub;
import dev.sessiond.proto.v1.SessionInfoLevel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session directory with 1,000,000 stored sessions: the packaged server, started on an H2
 * file into which the sessions were loaded directly, answers filtered first pages through the
 * indexes of its migrations, and a long walk's last page costs what its first does. The
 * latencies are printed, not asserted: they depend on the machine. What is asserted is that
 * every answer is complete and right.
 *
 * <p>The store: 2,000 users ({@code user0}...), 5,000 workstations ({@code WS-0}...) with 196
 * sessions each, and one terminal server {@code TS-BIG} with 20,000 sessions, all open.
 */
class DirectorySizeIT {

    private static final int SESSIONS = 1_000_000;
    private static final int USERS = 2_000;
    private static final int WORKSTATIONS = 5_000;
    /** Every 50th session is on the terminal server. */
    private static final int BIG_HOST_EVERY = 50;
    private static final String BIG_HOST = "TS-BIG";
    private static final String ADMIN_PASSWORD = "directory-size-admin-1";
    private static final int REPEATS = 3;

    @TempDir
    Path workDir;

    @Test
    void filteredFirstPages_stayFast_withAMillionSessions() throws Exception {
        Map<String, String> settings = Map.of("SESSIOND_ADMIN_PASSWORD", ADMIN_PASSWORD);
        try (ServerProcess first = ServerProcess.start(workDir, settings)) {
            assertThat(first.port()).isPositive(); // migrated the empty store and created the administrator
        }
        long loadStart = System.nanoTime();
        Load load = loadSessions("jdbc:h2:file:" + workDir.resolve("data/sessiond"));
        System.out.printf(Locale.ROOT, "DirectorySizeIT: loaded %,d sessions in %.1f s (insert %.1f s, indexes %.1f s, "
                + "analyze %.1f s)%n", SESSIONS, seconds(System.nanoTime() - loadStart), load.insertSeconds,
                load.indexSeconds, load.analyzeSeconds);

        try (ServerProcess server = ServerProcess.start(workDir, settings)) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                SessionDirectoryServiceBlockingStub directory = admin(channel);
                measure(directory);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private void measure(SessionDirectoryServiceBlockingStub directory) {
        record Case(String name, String host, String user, int expectedTotal) {}
        // user7 has sessions 7, 2007, ...; those with i % 5000 == 7 are on WS-7, unless on TS-BIG.
        List<Case> cases = List.of(
                new Case("client host", "ws-4321", "", countOn(4321, -1)),
                new Case("user name", "", "USER7", countOn(-1, 7)),
                new Case("host and user", "WS-7", "user7", countOn(7, 7)),
                new Case("big host (20,000)", BIG_HOST.toLowerCase(Locale.ROOT), "", SESSIONS / BIG_HOST_EVERY),
                new Case("no filter", "", "", SESSIONS + 1)); // + the administrator's own session
        // Warm-up, so that the figures are about the store and not about a cold JVM.
        for (Case c : cases) {
            page(directory, c.host(), c.user(), 100, "");
        }
        System.out.println("DirectorySizeIT: first page (page_size 100, level 10), " + REPEATS + " runs each, ms:");
        for (Case c : cases) {
            List<Double> millis = new ArrayList<>();
            EnumSessionsResponse response = null;
            for (int i = 0; i < REPEATS; i++) {
                long start = System.nanoTime();
                response = page(directory, c.host(), c.user(), 100, "");
                millis.add((System.nanoTime() - start) / 1e6);
            }
            System.out.printf(Locale.ROOT, "  %-18s total_size %,9d  median %7.1f  min %7.1f  max %7.1f%n",
                    c.name(), response.getTotalSize(), median(millis), min(millis), max(millis));
            assertThat(response.getTotalSize()).as(c.name()).isEqualTo(c.expectedTotal());
            assertThat(response.getSessionsCount()).as(c.name()).isEqualTo(Math.min(100, c.expectedTotal()));
            assertThat(response.getNextPageToken().isEmpty()).as(c.name()).isEqualTo(c.expectedTotal() <= 100);
        }
        long start = System.nanoTime();
        String host = directory.getSessionInfo(GetSessionInfoRequest.newBuilder().setClientHost("ws-7")
                .setUserName("User7").setLevel(SessionInfoLevel.SESSION_INFO_LEVEL_10).build()).getSession().getClientHost();
        System.out.printf(Locale.ROOT, "  GetSessionInfo(ws-7, User7): %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertThat(host).isEqualTo("WS-7");

        walkBigHost(directory);
    }

    /** Walks all 20,000 sessions of the terminal server, 1,000 per page: no page is slower than the first. */
    private void walkBigHost(SessionDirectoryServiceBlockingStub directory) {
        List<Double> millis = new ArrayList<>();
        Set<String> users = new HashSet<>();
        int seen = 0;
        String token = "";
        for (int page = 0; page < 100; page++) {
            long start = System.nanoTime();
            EnumSessionsResponse response = page(directory, BIG_HOST, "", 1000, token);
            millis.add((System.nanoTime() - start) / 1e6);
            seen += response.getSessionsCount();
            response.getSessionsList().forEach(s -> users.add(s.getUserName()));
            token = response.getNextPageToken();
            if (token.isEmpty()) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "DirectorySizeIT: walk of %s, %d pages of 1,000, ms: first %.1f, median %.1f, "
                        + "max %.1f, last %.1f%n", BIG_HOST, millis.size(), millis.get(0), median(millis), max(millis),
                millis.get(millis.size() - 1));
        assertThat(seen).isEqualTo(SESSIONS / BIG_HOST_EVERY);
        assertThat(millis).hasSize(SESSIONS / BIG_HOST_EVERY / 1000);
        assertThat(users).as("the terminal server's users").hasSize(USERS / BIG_HOST_EVERY);
    }

    private static EnumSessionsResponse page(SessionDirectoryServiceBlockingStub directory, String host, String user,
            int pageSize, String token) {
        return directory.withDeadlineAfter(60, TimeUnit.SECONDS).enumSessions(EnumSessionsRequest.newBuilder()
                .setClientHost(host).setUserName(user).setLevel(SessionInfoLevel.SESSION_INFO_LEVEL_10)
                .setPageSize(pageSize).setPageToken(token).build());
    }

    private static SessionDirectoryServiceBlockingStub admin(ManagedChannel channel) {
        String token = SessionClientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .openSession(OpenSessionRequest.newBuilder().setLogin("admin").setPassword(ADMIN_PASSWORD)
                        .setApplicationId("cli").build()).getToken();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return SessionDirectoryServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Session i: user {@code i % USERS}; host TS-BIG when {@code i % 50 == 0}, else {@code WS-(i % 5000)}. */
    private static String hostOf(int i) {
        return i % BIG_HOST_EVERY == 0 ? BIG_HOST : "WS-" + (i % WORKSTATIONS);
    }

    /** How many loaded sessions are on workstation {@code ws} (-1 = any host) of user {@code user} (-1 = anyone). */
    private static int countOn(int ws, int user) {
        int count = 0;
        for (int i = 0; i < SESSIONS; i++) {
            if ((ws < 0 || hostOf(i).equals("WS-" + ws)) && (user < 0 || i % USERS == user)) {
                count++;
            }
        }
        return count;
    }

    private record Load(double insertSeconds, double indexSeconds, double analyzeSeconds) {}

    /**
     * Loads the users and sessions with batched JDBC inserts. The sessions table's own indexes
     * (those of the migrations, read back from the store) are dropped first and created again
     * afterwards, which builds each in one pass instead of growing it row by row: about half
     * the load time. Index definitions are not repeated here, so the test measures exactly the
     * server's indexes.
     */
    private static Load loadSessions(String url) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection db = DriverManager.getConnection(url)) {
            db.setAutoCommit(false);
            List<String> indexes = sessionIndexes(db);
            List<String> dropped = new ArrayList<>();
            try (Statement s = db.createStatement()) {
                for (String create : indexes) {
                    String name = create.substring("CREATE INDEX ".length(), create.indexOf(" ON "));
                    try {
                        s.execute("DROP INDEX " + name);
                        dropped.add(create);
                    } catch (SQLException usedByAConstraint) {
                        db.rollback();
                    }
                }
            }
            db.commit();
            long insertStart = System.nanoTime();
            try (PreparedStatement users = db.prepareStatement("""
                    INSERT INTO users (id, login, login_key, display_name, password_hash, is_admin, is_service,
                                       license_type, is_blocked, create_time_ms, update_time_ms)
                    VALUES (?, ?, ?, ?, NULL, FALSE, FALSE, 'PERSONAL', FALSE, ?, ?)""")) {
                for (int u = 0; u < USERS; u++) {
                    users.setObject(1, userId(u));
                    users.setString(2, "user" + u);
                    users.setString(3, "user" + u);
                    users.setString(4, "User " + u);
                    users.setLong(5, now);
                    users.setLong(6, now);
                    users.addBatch();
                }
                users.executeBatch();
            }
            try (PreparedStatement sessions = db.prepareStatement("""
                    INSERT INTO sessions (id, secret_hash, user_id, parent_session_id, application_id, client_kind,
                                          session_type, license_type, is_active, client_host, client_host_key,
                                          client_address, transport, instance_name, server_code, create_time_ms,
                                          last_activity_ms, lifetime_end_ms)
                    VALUES (?, ?, ?, NULL, 'web-client', 'WEB', 'CLIENT', 'PERSONAL', TRUE, ?, ?, '10.0.0.1', 'grpc',
                            'default', 'sessiond', ?, ?, ?)""")) {
                String secretHash = "0".repeat(64); // no token will ever match it: these sessions are only listed
                for (int i = 0; i < SESSIONS; i++) {
                    String host = hostOf(i);
                    // Ascending ids append to the primary key index (random ones take five times as
                    // long to load); the directory never reads sessions by id.
                    sessions.setObject(1, new UUID(0x5e55_0000_0000_4000L | ((long) i << 16), 0x8000_0000_0000_0000L | i));
                    sessions.setString(2, secretHash);
                    sessions.setObject(3, userId(i % USERS));
                    sessions.setString(4, host);
                    sessions.setString(5, host.toLowerCase(Locale.ROOT));
                    // Opened over the last ~17 minutes, one per millisecond, used just now, open for a week.
                    sessions.setLong(6, now - SESSIONS + i);
                    sessions.setLong(7, now);
                    sessions.setLong(8, now + 7L * 24 * 3600 * 1000);
                    sessions.addBatch();
                    if ((i + 1) % 10_000 == 0) {
                        sessions.executeBatch();
                        db.commit();
                    }
                }
                sessions.executeBatch();
            }
            db.commit();
            long indexStart = System.nanoTime();
            long analyzeStart;
            try (Statement s = db.createStatement()) {
                for (String create : dropped) {
                    s.execute(create);
                }
                analyzeStart = System.nanoTime();
                s.execute("ANALYZE"); // selectivity statistics for the new indexes, as a running store keeps them
            }
            db.commit();
            return new Load(seconds(indexStart - insertStart), seconds(analyzeStart - indexStart),
                    seconds(System.nanoTime() - analyzeStart));
        }
    }

    /** The CREATE INDEX statements of the sessions table, as H2 scripts them. */
    private static List<String> sessionIndexes(Connection db) throws SQLException {
        List<String> creates = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet script = s.executeQuery("SCRIPT NODATA")) {
            while (script.next()) {
                String line = script.getString(1).strip();
                if (line.startsWith("CREATE INDEX ") && line.contains(" ON \"PUBLIC\".\"SESSIONS\"")) {
                    creates.add(line.endsWith(";") ? line.substring(0, line.length() - 1) : line);
                }
            }
        }
        assertThat(creates).as("the migrations' indexes on sessions").hasSizeGreaterThanOrEqualTo(4);
        return creates;
    }

    private static UUID userId(int u) {
        return new UUID(0x5e55_10d0_0000_4000L, 0x8000_0000_0000_0000L | u);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
}
