package dev.sessiond.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test class, dropped on {@link #close()}. PostgreSQL is
 * found at {@code SESSIOND_TEST_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres},
 * user {@code SESSIOND_TEST_POSTGRES_USER}, default {@code postgres}). When it cannot be
 * reached the tests are skipped with a message saying why — except under CI ({@code CI=true}),
 * where that is a failure.
 */
final class PostgresDatabase implements AutoCloseable {

    final String name;
    final String host;
    final int port;
    final String user;
    private final String adminUrl;

    private PostgresDatabase(String name, String host, int port, String user, String adminUrl) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.user = user;
        this.adminUrl = adminUrl;
    }

    static PostgresDatabase create() {
        String adminUrl = env("SESSIOND_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = env("SESSIOND_TEST_POSTGRES_USER", "postgres");
        try (Connection c = DriverManager.getConnection(adminUrl, user, password())) {
            c.isValid(2);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + adminUrl + " is not reachable (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI must run the PostgreSQL tests", e);
            }
            System.err.println("sessiond tests: " + why + " - the PostgreSQL tests are SKIPPED.");
            Assumptions.abort(why + ": skipped (set SESSIOND_TEST_POSTGRES_URL or start PostgreSQL)");
        }
        String name = "sessiond_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(adminUrl, user, "CREATE DATABASE " + name);
        String hostPort = adminUrl.substring("jdbc:postgresql://".length()).split("/")[0];
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
        int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1)) : 5432;
        return new PostgresDatabase(name, host, port, user, adminUrl);
    }

    /** The JDBC URL of this database through {@code host:port} (the real server, or a proxy in front of it). */
    String url(String viaHost, int viaPort) {
        return "jdbc:postgresql://" + viaHost + ":" + viaPort + "/" + name;
    }

    String url() {
        return url(host, port);
    }

    Jdbi jdbi() {
        return Jdbi.create(url(), user, password());
    }

    @Override
    public void close() {
        execute(adminUrl, user, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    static String password() {
        return env("SESSIOND_TEST_POSTGRES_PASSWORD", "");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void execute(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
