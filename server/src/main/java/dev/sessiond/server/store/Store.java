package dev.sessiond.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sessiond.server.config.Config.DatabaseConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared database wiring: a connection pool, Jdbi on top of it, and the schema
 * migrations applied on open. The same migrations serve H2 and PostgreSQL. Thread-safe.
 */
public final class Store implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Store.class);
    /** The longest any statement may run when no call deadline says otherwise. */
    private static final int STATEMENT_TIMEOUT_SECONDS = 30;

    private final HikariDataSource dataSource;
    private final DatabaseConfig config;
    private final Jdbi jdbi;
    private final ChangeNotices notices;
    /** The health check's own connection, outside the pool, so that a busy pool never delays it. */
    private Connection probe;

    /** False while the health check finds the database unreachable: calls then fail at once. */
    private volatile boolean reachable = true;
    /** Failed health checks in a row; guarded by this. */
    private int consecutiveFailures;
    /** How many failed checks in a row mean "unreachable". */
    private static final int FAILED_CHECKS_TO_TRIP = 2;

    /** The URL connected to: the configured one, for H2 without its own shutdown hook (see {@link #jdbcUrl}). */
    private final String url;

    private Store(HikariDataSource dataSource, DatabaseConfig config, String url) {
        this.dataSource = dataSource;
        this.config = config;
        this.url = url;
        this.jdbi = Jdbi.create(this::connect).installPlugin(new SqlObjectPlugin());
        this.jdbi.addCustomizer(new DeadlineTimeouts(STATEMENT_TIMEOUT_SECONDS));
        // An embedded H2 store has one server; PostgreSQL may be shared by replicas, which must hear of changes.
        this.notices = isPostgres(config.url())
                ? PostgresChangeNotices.start(() -> connectDirectly(3))
                : ChangeNotices.none();
    }

    private static boolean isPostgres(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Opens the pool and migrates the schema to the newest version. */
    public static Store open(DatabaseConfig config) {
        return open(config, null);
    }

    /** As {@link #open(DatabaseConfig)}, with the pool's metrics (hikaricp_*) in {@code metrics} when given. */
    public static Store open(DatabaseConfig config, MeterRegistry metrics) {
        String url = jdbcUrl(config.url());
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("sessiond-store");
        if (metrics != null) {
            hikari.setMetricRegistry(metrics);
        }
        // Wait at most 10 s for a connection under load (the default is 30 s); while the health check finds
        // the database away, calls do not wait at all (see connect()).
        hikari.setConnectionTimeout(10_000);
        hikari.setValidationTimeout(1_000);
        if (isPostgres(config.url())) {
            // Notice a vanished server quickly: a bounded connect, and TCP keep-alive on idle sockets.
            hikari.addDataSourceProperty("connectTimeout", "3");
            hikari.addDataSourceProperty("socketTimeout", "60");
            hikari.addDataSourceProperty("tcpKeepAlive", "true");
        }
        if (config.url().startsWith("jdbc:h2:")) {
            // Seat-taking transactions queue on one row lock (license_pool); H2's default lock
            // timeout of one second is too short for a burst of concurrent opens.
            hikari.setConnectionInitSql("SET LOCK_TIMEOUT 10000");
        }
        // Start even when the database is momentarily away; calls then fail with STORE_UNAVAILABLE.
        hikari.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            var result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            log.info("store ready at {} (schema version {}, {} migration(s) applied)",
                    config.url(), result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Store(dataSource, config, url);
    }

    /**
     * H2 closes its databases in a JVM shutdown hook of its own, which races sessiond's: on
     * SIGTERM, the remembered activity was then written to a closed database and lost. sessiond
     * closes the store itself, last, so H2 is told not to.
     */
    static String jdbcUrl(String configured) {
        if (configured.startsWith("jdbc:h2:") && !configured.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            return configured + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        return configured;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** How servers sharing this store tell each other of changes. */
    public ChangeNotices notices() {
        return notices;
    }

    /**
     * Checks whether the database answers within {@code timeoutSeconds}, and remembers the
     * answer: after two failed checks in a row, and until one succeeds, calls fail at once with
     * STORE_UNAVAILABLE instead of each waiting for the pool's connection timeout.
     */
    public synchronized boolean checkReachable(int timeoutSeconds) {
        boolean answer;
        try {
            if (probe == null || probe.isClosed()) {
                probe = connectDirectly(timeoutSeconds);
            }
            answer = probe.isValid(timeoutSeconds);
        } catch (SQLException | RuntimeException e) {
            answer = false;
        }
        if (!answer) {
            closeProbe();
        }
        // One missed check on a busy machine is not an outage: it takes two in a row.
        consecutiveFailures = answer ? 0 : consecutiveFailures + 1;
        reachable = consecutiveFailures < FAILED_CHECKS_TO_TRIP;
        return reachable;
    }

    /**
     * A connection of its own, outside the pool, for the health probe and the change notices:
     * a busy pool never delays them. On PostgreSQL it gives up connecting after
     * {@code connectTimeoutSeconds} and keeps TCP keep-alive on, like the pool's connections.
     */
    private Connection connectDirectly(int connectTimeoutSeconds) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.user());
        properties.setProperty("password", config.password());
        if (isPostgres(config.url())) {
            properties.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
            properties.setProperty("tcpKeepAlive", "true");
        }
        return DriverManager.getConnection(url, properties);
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (SQLException e) {
                // it is broken anyway
            }
            probe = null;
        }
    }

    private Connection connect() throws SQLException {
        NonBlocking.checkMayWait(); // the pool may wait for a free connection, and every statement waits
        if (!reachable) {
            throw new SQLTransientConnectionException("the database did not answer the last health check");
        }
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        notices.close();
        synchronized (this) {
            closeProbe();
        }
        dataSource.close();
    }
}
