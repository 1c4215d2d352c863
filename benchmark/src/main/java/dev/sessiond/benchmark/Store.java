package dev.sessiond.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The server's store for one run: the embedded H2 file in the run's data directory (the
 * server's default), or a fresh PostgreSQL database created for the run and dropped after it.
 * The benchmark writes filler rows into it directly, while the server is stopped (H2's file is
 * the server's own while it runs). Not thread-safe.
 */
final class Store implements AutoCloseable {

    enum Kind {
        H2("H2"),
        POSTGRESQL("PostgreSQL");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The store cannot be used for this run; {@code why} goes into the report. */
    static final class Unavailable extends Exception {
        Unavailable(String why) {
            super(why);
        }
    }

    private final Kind kind;
    private final Path dataDir;
    private final String url;
    private final String user;
    private final String password;
    private final String adminUrl;
    private final String database;

    private Store(Kind kind, Path dataDir, String url, String user, String password, String adminUrl, String database) {
        this.kind = kind;
        this.dataDir = dataDir;
        this.url = url;
        this.user = user;
        this.password = password;
        this.adminUrl = adminUrl;
        this.database = database;
    }

    /** A fresh, empty store of {@code kind}; the server keeps its data (H2 file, token keys) in {@code dataDir}. */
    static Store create(Kind kind, Path dataDir) throws Unavailable, IOException {
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        if (kind == Kind.H2) {
            // The server's default URL (SESSIOND_DB_URL unset), spelled out so the benchmark can open the same file.
            return new Store(kind, dataDir, "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("sessiond"), "", "", null, null);
        }
        String adminUrl = env("SESSIOND_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = env("SESSIOND_TEST_POSTGRES_USER", "postgres");
        String password = env("SESSIOND_TEST_POSTGRES_PASSWORD", "");
        String database = "sessiond_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            execute(adminUrl, user, password, "CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new Unavailable("PostgreSQL at " + adminUrl + " is not reachable (" + e.getMessage() + ")");
        }
        String hostPort = adminUrl.substring("jdbc:postgresql://".length()).split("/")[0];
        return new Store(kind, dataDir, "jdbc:postgresql://" + hostPort + "/" + database, user, password, adminUrl,
                database);
    }

    Kind kind() {
        return kind;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The server's settings for this store. */
    Map<String, String> serverSettings() {
        if (kind == Kind.H2) {
            return Map.of("SESSIOND_DATA_DIR", dataDir.toAbsolutePath().toString());
        }
        return Map.of("SESSIOND_DATA_DIR", dataDir.toAbsolutePath().toString(),
                "SESSIOND_DB_URL", url, "SESSIOND_DB_USER", user, "SESSIOND_DB_PASSWORD", password);
    }

    /** A connection of the benchmark's own, for seeding; for H2 only while the server is stopped. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Drops the PostgreSQL database; deletes the data directory (the H2 file of a million sessions is large). */
    @Override
    public void close() throws IOException, SQLException {
        try {
            if (kind == Kind.POSTGRESQL) {
                execute(adminUrl, user, password, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void execute(String url, String user, String password, String sql) throws SQLException {
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
