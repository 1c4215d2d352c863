package dev.sessiond.server.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What ending sessions reads and deletes, apart from {@link SessionDao}: Jdbi prepares every
 * method of a SQL object each time one is attached, and every close attaches this one (see
 * {@link ActivityDao}).
 */
interface ClosingDao {

    /** A session about to be deleted: what its audit event needs, and when it would have expired. */
    record Closing(UUID id, UUID userId, String login, ClientKind clientKind, Instant lastActivity, Instant lifetimeEnd) {}

    /** The session and all sessions nested in it, at any depth; the session itself first. */
    @SqlQuery("""
            WITH RECURSIVE tree (id) AS (
                SELECT id FROM sessions WHERE id = :id
                UNION ALL
                SELECT c.id FROM sessions c JOIN tree t ON c.parent_session_id = t.id
            )
            SELECT s.id, s.user_id, u.login, s.client_kind, s.last_activity_ms, s.lifetime_end_ms FROM tree
            JOIN sessions s ON s.id = tree.id JOIN users u ON u.id = s.user_id
            """)
    @RegisterRowMapper(ClosingMapper.class)
    List<Closing> findTree(@Bind("id") UUID id);

    @SqlQuery("SELECT id FROM sessions WHERE user_id = :userId ORDER BY create_time_ms")
    List<UUID> findIdsByUser(@Bind("userId") UUID userId);

    /** Deletes the session; nested sessions go with it (ON DELETE CASCADE). */
    @SqlUpdate("DELETE FROM sessions WHERE id = :id")
    int delete(@Bind("id") UUID id);

    final class ClosingMapper implements RowMapper<Closing> {
        @Override
        public Closing map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Closing(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("login"),
                    ClientKind.valueOf(rs.getString("client_kind")), Instant.ofEpochMilli(rs.getLong("last_activity_ms")),
                    Instant.ofEpochMilli(rs.getLong("lifetime_end_ms")));
        }
    }
}
