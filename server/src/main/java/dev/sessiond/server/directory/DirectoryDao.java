package dev.sessiond.server.directory;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
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

    /**
     * The filter predicates; the filtered columns come first in the index that serves each, and
     * (create time, id) last.
     */
    enum Match {
        ANY("TRUE"),
        HOST("s.client_host_key = :hostKey", "s.client_host_key"),
        USER("s.user_id = :userId", "s.user_id"),
        HOST_AND_USER("s.client_host_key = :hostKey AND s.user_id = :userId", "s.client_host_key", "s.user_id");

        final String sql;
        /**
         * ORDER BY of a page: the filtered columns, then (create time, id). Ordering by columns
         * that are equal in every row changes nothing, but H2 (2.4) walks an index in order only
         * when ORDER BY starts with the index's first column; otherwise it reads every matching
         * session and sorts them before it applies LIMIT.
         */
        final String ascending;
        /** ORDER BY of the newest matching session first. */
        final String descending;

        Match(String sql, String... filtered) {
            this.sql = sql;
            List<String> order = new ArrayList<>(List.of(filtered));
            order.addAll(List.of("s.create_time_ms", "s.id"));
            this.ascending = String.join(", ", order);
            this.descending = order.stream().map(column -> column + " DESC").collect(Collectors.joining(", "));
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

        /** The later of the two idle cutoffs: no session used after it is idle past its timeout. */
        public long latestIdleCutoff() {
            return Math.max(idleCutoff, desktopIdleCutoff);
        }
    }

    /** A session row and the user columns the directory shows. */
    record StoredEntry(UUID id, String clientHost, String login, boolean userIsAdmin, boolean isActive,
            String applicationId, String clientKind, String transport, String clientAddress, long createTimeMs,
            long lastActivityMs, int openCount) {}

    @SqlQuery("SELECT id FROM users WHERE login_key = :loginKey")
    Optional<UUID> userIdByLoginKey(@Bind("loginKey") String loginKey);

    /** The position before every session, where a walk's first page starts. */
    long START_TIME = Long.MIN_VALUE;
    /** The smallest id, for {@link #START_TIME}: no session has that create time, so it never decides. */
    UUID START_ID = new UUID(0, 0);

    /**
     * {@code limit} entries after a position in (create time, id) order; a walk's first page
     * starts after ({@link #START_TIME}, {@link #START_ID}). The first condition is the index
     * range; the second skips the position's own create time up to and including its id.
     * {@code order} is the match's {@link Match#ascending}.
     *
     * <p>The first page states the range too, although every session is in it: without a
     * condition on create_time_ms, H2 (2.4) costs a range of sessions_lifetime_idx (no filter)
     * or sessions_user_idx (a user) lower, and reads and sorts every matching session before it
     * applies LIMIT: 10,001 rows for a first page of 100 with 10,000 sessions. PostgreSQL plans
     * both forms alike.
     */
    String PAGE = ENTRY + """
             AND s.create_time_ms >= :afterTime AND (s.create_time_ms > :afterTime OR s.id > :afterId)
            ORDER BY <order> LIMIT :limit""";

    /** The newest matching session; {@code order} is the match's {@link Match#descending}. */
    String LATEST = ENTRY + " ORDER BY <order> LIMIT 1";

    @SqlQuery(PAGE)
    List<StoredEntry> page(@Define("match") String match, @Define("order") String order,
            @Define("openCount") String openCount, @BindMethods Scope scope, @Bind("afterTime") long afterTime,
            @Bind("afterId") UUID afterId, @Bind("limit") int limit);

    @SqlQuery(LATEST)
    Optional<StoredEntry> latest(@Define("match") String match, @Define("order") String order,
            @Define("openCount") String openCount, @BindMethods Scope scope);

    /** How many sessions match the scope's filter and are open. */
    default int count(Scope scope) {
        return scope.match() == Match.ANY ? countAll(scope) : countMatching(scope.match().sql, scope);
    }

    @SqlQuery("SELECT COUNT(*) FROM sessions s WHERE <match> AND " + OPEN)
    int countMatching(@Define("match") String match, @BindMethods Scope scope);

    /**
     * How many sessions are open, counted as every session less the two disjoint kinds that are
     * not: those whose lifetime has ended, and those within it but idle past their kind's
     * timeout. Counting the open ones reads every session (2.2 s with 1,000,000 on H2); here H2
     * takes the whole table's count from its row count, and the two parts are ranges of
     * sessions_lifetime_idx and sessions_activity_idx that hold only what the reaper has not
     * deleted yet and desktop sessions idle longer than the web timeout.
     */
    String COUNT_ALL = """
            SELECT (SELECT COUNT(*) FROM sessions)
                 - (SELECT COUNT(*) FROM sessions s WHERE s.lifetime_end_ms <= :now)
                 - (SELECT COUNT(*) FROM sessions s
                    WHERE s.last_activity_ms <= :latestIdleCutoff AND s.lifetime_end_ms > :now
                      AND s.last_activity_ms <= CASE WHEN s.client_kind = 'DESKTOP' THEN :desktopIdleCutoff
                                                     ELSE :idleCutoff END)""";

    @SqlQuery(COUNT_ALL)
    int countAll(@BindMethods Scope scope);

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
