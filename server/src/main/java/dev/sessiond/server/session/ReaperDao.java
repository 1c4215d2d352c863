package dev.sessiond.server.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The reaper's queries: each expiry condition separately, so each uses its own index. */
interface ReaperDao {

    /** A session to delete, with the root of the batch member it belongs to. */
    record Doomed(UUID id, UUID root, UUID userId, String login) {}

    /** Takes the reaper lock for this transaction, or finds it held by another server's reaper (empty). */
    @SqlQuery("SELECT id FROM reaper_lock WHERE id = 1 FOR UPDATE SKIP LOCKED")
    Optional<Integer> tryLock();

    @SqlQuery("SELECT id FROM sessions WHERE lifetime_end_ms <= :now ORDER BY lifetime_end_ms LIMIT :limit")
    List<UUID> pastLifetime(@Bind("now") long now, @Bind("limit") int limit);

    @SqlQuery("""
            SELECT id FROM sessions WHERE last_activity_ms <= :cutoff AND client_kind <> 'DESKTOP'
            ORDER BY last_activity_ms LIMIT :limit""")
    List<UUID> idleNonDesktop(@Bind("cutoff") long cutoff, @Bind("limit") int limit);

    @SqlQuery("""
            SELECT id FROM sessions WHERE last_activity_ms <= :cutoff AND client_kind = 'DESKTOP'
            ORDER BY last_activity_ms LIMIT :limit""")
    List<UUID> idleDesktop(@Bind("cutoff") long cutoff, @Bind("limit") int limit);

    /** The given sessions and everything nested in them, each with the given session it hangs under. */
    @SqlQuery("""
            WITH RECURSIVE tree (id, root) AS (
                SELECT id, id FROM sessions WHERE id IN (<ids>)
                UNION ALL
                SELECT c.id, t.root FROM sessions c JOIN tree t ON c.parent_session_id = t.id
            )
            SELECT tree.id, tree.root, s.user_id, u.login FROM tree
            JOIN sessions s ON s.id = tree.id JOIN users u ON u.id = s.user_id""")
    @RegisterRowMapper(DoomedMapper.class)
    List<Doomed> trees(@BindList("ids") List<UUID> ids);

    @SqlBatch("DELETE FROM sessions WHERE id = :id")
    int[] delete(@Bind("id") List<UUID> ids);

    final class DoomedMapper implements RowMapper<Doomed> {
        @Override
        public Doomed map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Doomed(rs.getObject("id", UUID.class), rs.getObject("root", UUID.class),
                    rs.getObject("user_id", UUID.class), rs.getString("login"));
        }
    }
}
