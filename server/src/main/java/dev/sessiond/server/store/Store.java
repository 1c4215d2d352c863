package dev.sessiond.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sessiond.server.config.Config.DatabaseConfig;
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

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Store(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    }

    /** Opens the pool and migrates the schema to the newest version. */
    public static Store open(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("sessiond-store");
        // Fail fast when the database is away instead of queueing callers for the default 30 s.
        hikari.setConnectionTimeout(5_000);
        hikari.setValidationTimeout(2_000);
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
        return new Store(dataSource);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
