package dev.sessiond.server.directory;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.AllowUnusedBindings;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The directory's reads. Every query takes the filter as one of the fixed {@link Match}
 * predicates (never caller text in SQL) and the open-session condition of {@link Scope}, and
 * pages in (create time, id) order, which each filter's index ends in.
 */
@AllowUnusedBindings
@RegisterRowMapper(DirectoryDao.StoredEntryMapper.class)
interface DirectoryDao {

    /** A session not yet closed and not expired at {@code now}; the same rule as SessionService's expiry. */
    String OPEN = """
            s.lifetime_end_ms > :now
            AND s.last_activity_ms > CASE WHEN s.client_kind = 'DESKTOP' THEN :desktopIdleCutoff ELSE :idleCutoff END""";

    String NESTED_OPEN_COUNT = """
            (SELECT COUNT(*) FROM sessions c WHERE c.parent_session_id = s.id
               AND c.lifetime_end_ms > :now
               AND c.last_activity_ms > CASE WHEN c.client_kind = 'DESKTOP' THEN :desktopIdleCutoff ELSE :idleCutoff END)""";

    /**
     * The user's columns come from scalar subqueries rather than a join: with a join, H2 may
     * drive the query from the users table and sort every session before it can apply LIMIT,
     * where a single-table query walks the index in order and stops after one page.
     */
    String ENTRY = """
            SELECT s.id, s.client_host, s.is_active, s.application_id, s.client_kind, s.transport, s.client_address,
                   s.create_time_ms, s.last_activity_ms, <openCount> AS open_count,
                   (SELECT u.login FROM users u WHERE u.id = s.user_id) AS login,
                   (SELECT u.is_admin FROM users u WHERE u.id = s.user_id) AS is_admin
            FROM sessions s
            WHERE <match> AND\s""" + OPEN;

    /** The filter predicates; the filtered column comes first in the index that serves each. */
    enum Match {
        ANY("TRUE"),
        HOST("s.client_host_key = :hostKey"),
        USER("s.user_id = :userId"),
        HOST_AND_USER("s.client_host_key = :hostKey AND s.user_id = :userId");

        final String sql;

        Match(String sql) {
            this.sql = sql;
        }

        static Match of(boolean host, boolean user) {
            return host ? (user ? HOST_AND_USER : HOST) : (user ? USER : ANY);
        }
    }

    /**
     * What one query is about: the filter's values and the instant that decides which sessions
     * are open. {@code userId} is null when the filter names no user.
     */
    record Scope(Match match, String hostKey, UUID userId, long now, long idleCutoff, long desktopIdleCutoff) {
        public Scope {
            requireNonNull(match, "match");
        }
    }

    /** A session row and the user columns the directory shows. */
    record StoredEntry(UUID id, String clientHost, String login, boolean userIsAdmin, boolean isActive,
            String applicationId, String clientKind, String transport, String clientAddress, long createTimeMs,
            long lastActivityMs, int openCount) {}

    @SqlQuery("SELECT id FROM users WHERE login_key = :loginKey")
    Optional<UUID> userIdByLoginKey(@Bind("loginKey") String loginKey);

    /** The first page: {@code limit} entries from the start. */
    @SqlQuery(ENTRY + " ORDER BY s.create_time_ms, s.id LIMIT :limit")
    List<StoredEntry> first(@Define("match") String match, @Define("openCount") String openCount,
            @BindMethods Scope scope, @Bind("limit") int limit);

    /**
     * A later page: {@code limit} entries after the cursor. The first condition is the index
     * range; the second skips the cursor's own create time up to and including its id.
     */
    @SqlQuery(ENTRY + """
             AND s.create_time_ms >= :afterTime AND (s.create_time_ms > :afterTime OR s.id > :afterId)
            ORDER BY s.create_time_ms, s.id LIMIT :limit""")
    List<StoredEntry> after(@Define("match") String match, @Define("openCount") String openCount,
            @BindMethods Scope scope, @Bind("afterTime") long afterTime, @Bind("afterId") UUID afterId,
            @Bind("limit") int limit);

    /** The most recently opened matching session. */
    @SqlQuery(ENTRY + " ORDER BY s.create_time_ms DESC, s.id DESC LIMIT 1")
    Optional<StoredEntry> latest(@Define("match") String match, @Define("openCount") String openCount,
            @BindMethods Scope scope);

    @SqlQuery("SELECT COUNT(*) FROM sessions s WHERE <match> AND " + OPEN)
    int count(@Define("match") String match, @BindMethods Scope scope);

    /** Matching sessions and their parents, newest first. */
    @SqlQuery("SELECT s.id, s.parent_session_id FROM sessions s WHERE <match> AND " + OPEN
            + " ORDER BY s.create_time_ms DESC, s.id DESC")
    @RegisterRowMapper(MatchedMapper.class)
    List<Matched> matching(@Define("match") String match, @BindMethods Scope scope);

    /** A matching session's id and its parent's, if it is nested. */
    record Matched(UUID id, Optional<UUID> parentId) {}

    final class StoredEntryMapper implements RowMapper<StoredEntry> {
        @Override
        public StoredEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredEntry(
                    rs.getObject("id", UUID.class),
                    rs.getString("client_host"),
                    rs.getString("login"),
                    rs.getBoolean("is_admin"),
                    rs.getBoolean("is_active"),
                    rs.getString("application_id"),
                    rs.getString("client_kind"),
                    rs.getString("transport"),
                    rs.getString("client_address"),
                    rs.getLong("create_time_ms"),
                    rs.getLong("last_activity_ms"),
                    rs.getInt("open_count"));
        }
    }

    final class MatchedMapper implements RowMapper<Matched> {
        @Override
        public Matched map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Matched(rs.getObject("id", UUID.class),
                    Optional.ofNullable(rs.getObject("parent_session_id", UUID.class)));
        }
    }
}
