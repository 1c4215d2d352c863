package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The filler rows against the server's real schema (its Flyway migrations), so a schema change that breaks them shows here. */
class SeederTest {

    private static final Path MIGRATIONS = Path.of("..", "server", "src", "main", "resources", "db", "migration");

    @Test
    void fillerInsert_writesOpenSessionsOfTheHoldersInTheServersSchema() throws Exception {
        String url = "jdbc:h2:mem:seeder" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "", "").locations("filesystem:" + MIGRATIONS).load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            List<String> holders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = UUID.randomUUID().toString();
                holders.add(id);
                s.executeUpdate("INSERT INTO users (id, login, login_key, display_name, is_admin, is_service, license_type,"
                        + " is_blocked, create_time_ms, update_time_ms) VALUES ('" + id + "', 'u" + i + "', 'u" + i
                        + "', 'u', FALSE, FALSE, 'PERSONAL', FALSE, 0, 0)");
            }
            long now = System.currentTimeMillis();
            assertThat(s.executeUpdate(Seeder.fillerInsert(Store.Kind.H2, holders, 1, 1_000, now, now + 60_000)))
                    .isEqualTo(1_000);
            assertThat(s.executeUpdate(Seeder.fillerInsert(Store.Kind.H2, holders, 1_001, 1_500, now, now + 60_000)))
                    .isEqualTo(500);

            assertThat(single(s, "SELECT COUNT(DISTINCT id) FROM sessions")).isEqualTo(1_500);
            assertThat(single(s, "SELECT COUNT(DISTINCT user_id) FROM sessions")).isEqualTo(3);
            assertThat(single(s, "SELECT COUNT(*) FROM sessions WHERE LENGTH(secret_hash) = 64")).isEqualTo(1_500);
            assertThat(single(s, "SELECT COUNT(*) FROM sessions WHERE last_activity_ms = " + now
                    + " AND lifetime_end_ms > " + now + " AND server_code = 'sessiond' AND instance_name = 'default'"))
                    .isEqualTo(1_500);
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
