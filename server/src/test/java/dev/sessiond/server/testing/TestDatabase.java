package dev.sessiond.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The store a test server runs on: a private in-memory H2 database, or a private schema in a
 * PostgreSQL database that this test JVM creates and drops. Which one is chosen by the system
 * property {@code sessiond.test.store} ({@code h2}, the default, or {@code postgresql}); the
 * server module's build runs its whole suite once with each.
 *
 * <p>PostgreSQL is found at {@code SESSIOND_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code SESSIOND_TEST_POSTGRES_USER},
 * default {@code postgres}). When it cannot be reached, PostgreSQL runs are skipped with a
 * message saying so — except under CI ({@code CI=true}), where that is a failure.
 */
public final class TestDatabase {

    /** A database (or schema) for one test server. */
    public record Store(String url, String user, String password, Runnable drop, boolean postgres) {}

    private static final Object LOCK = new Object();
    private static String postgresDatabase;

    private TestDatabase() {}

    public static boolean postgres() {
        return System.getProperty("sessiond.test.store", "h2").toLowerCase(Locale.ROOT).equals("postgresql");
    }

    /** A fresh, empty store for one test server. */
    public static Store create() {
        if (!postgres()) {
            String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            return new Store(url, "", "", () -> execute(url, "", "", "SHUTDOWN"), false);
        }
        String database = postgresDatabase();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        String base = baseUrl(database);
        execute(base, user(), password(), "CREATE SCHEMA " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new Store(url, user(), password(),
                () -> execute(base, user(), password(), "DROP SCHEMA " + schema + " CASCADE"), true);
    }

    /** Creates this JVM's PostgreSQL database once and drops it when the JVM exits. */
    private static String postgresDatabase() {
        synchronized (LOCK) {
            if (postgresDatabase != null) {
                return postgresDatabase;
            }
            String admin = adminUrl();
            try (Connection c = DriverManager.getConnection(admin, user(), password())) {
                c.isValid(2);
            } catch (SQLException e) {
                String why = "PostgreSQL at " + admin + " is not reachable (" + e.getMessage() + ")";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new IllegalStateException(why + "; CI must run the PostgreSQL suite", e);
                }
                System.err.println("sessiond tests: " + why + " - the PostgreSQL run is SKIPPED."
                        + " Start PostgreSQL or set SESSIOND_TEST_POSTGRES_URL to run it.");
                Assumptions.abort(why + ": skipped (set SESSIOND_TEST_POSTGRES_URL or start PostgreSQL)");
            }
            String name = "sessiond_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            execute(admin, user(), password(), "CREATE DATABASE " + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    execute(admin, user(), password(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (RuntimeException e) {
                    System.err.println("sessiond tests: could not drop " + name + ": " + e.getMessage());
                }
            }));
            postgresDatabase = name;
            return name;
        }
    }

    private static String adminUrl() {
        String url = System.getenv("SESSIOND_TEST_POSTGRES_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/postgres" : url;
    }

    /** The admin URL with its database replaced by {@code database}. */
    private static String baseUrl(String database) {
        String admin = adminUrl();
        int query = admin.indexOf('?');
        String path = query < 0 ? admin : admin.substring(0, query);
        String params = query < 0 ? "" : admin.substring(query);
        return path.substring(0, path.lastIndexOf('/') + 1) + database + params;
    }

    private static String user() {
        String user = System.getenv("SESSIOND_TEST_POSTGRES_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    private static String password() {
        String password = System.getenv("SESSIOND_TEST_POSTGRES_PASSWORD");
        return password == null ? "" : password;
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database: " + sql + ": " + e.getMessage(), e);
        }
    }
}
