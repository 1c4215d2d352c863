package dev.sessiond.server.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * What ending sessions reads and deletes.
 * Statements on the caller's handle, not a SQL object: a Jdbi attach costs a proxy and a
 * configuration copy each time (README, "Opens and closes attach no SQL object").
 */
final class ClosingDao {

    /** A session about to be deleted: what its audit event needs, and when it would have expired. */
    record Closing(UUID id, UUID userId, String login, ClientKind clientKind, Instant lastActivity, Instant lifetimeEnd) {}

    private static final String TREE = """
            WITH RECURSIVE tree (id) AS (
                SELECT id FROM sessions WHERE id = :id
                UNION ALL
                SELECT c.id FROM sessions c JOIN tree t ON c.parent_session_id = t.id
            )
            SELECT s.id, s.user_id, u.login, s.client_kind, s.last_activity_ms, s.lifetime_end_ms FROM tree
            JOIN sessions s ON s.id = tree.id JOIN users u ON u.id = s.user_id
            """;
    // A total order, so that two closings of one user's sessions at once lock them alike; sessions_user_create_idx
    // (user_id, create_time_ms, id) gives it without a sort.
    private static final String IDS_BY_USER =
            "SELECT id FROM sessions WHERE user_id = :userId ORDER BY create_time_ms, id";
    private static final String DELETE = "DELETE FROM sessions WHERE id = :id";

    private ClosingDao() {}

    /** The session and all sessions nested in it, at any depth; the session itself first. */
    static List<Closing> findTree(Handle h, UUID id) {
        try (Query query = h.createQuery(TREE)) {
            return query.bind("id", id).map(ClosingDao::closing).list();
        }
    }

    static List<UUID> findIdsByUser(Handle h, UUID userId) {
        try (Query query = h.createQuery(IDS_BY_USER)) {
            return query.bind("userId", userId).mapTo(UUID.class).list();
        }
    }

    /** Deletes the session; nested sessions go with it (ON DELETE CASCADE). @return rows deleted: 1 or 0 */
    static int delete(Handle h, UUID id) {
        try (Update update = h.createUpdate(DELETE)) {
            return update.bind("id", id).execute();
        }
    }

    private static Closing closing(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Closing(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("login"),
                ClientKind.valueOf(rs.getString("client_kind")), Instant.ofEpochMilli(rs.getLong("last_activity_ms")),
                Instant.ofEpochMilli(rs.getLong("lifetime_end_ms")));
    }
}
