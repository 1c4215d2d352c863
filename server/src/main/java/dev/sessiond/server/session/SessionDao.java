package dev.sessiond.server.session;

import dev.sessiond.server.user.LicenseType;
import dev.sessiond.server.user.UserRowMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

interface SessionDao {

    String SELECT = """
            SELECT s.*, u.id AS u_id, u.login AS u_login, u.display_name AS u_display_name, u.is_admin AS u_is_admin,
                   u.is_service AS u_is_service, u.license_type AS u_license_type, u.is_blocked AS u_is_blocked,
                   u.create_time_ms AS u_create_time_ms, u.update_time_ms AS u_update_time_ms
            FROM sessions s JOIN users u ON u.id = s.user_id""";

    /** A stored session and the hash of its token's secret. */
    record StoredSession(Session session, String secretHash) {}

    /**
     * The session with its user, or empty. A statement on the caller's handle, not a method of this
     * SQL object: the session cache reads each of its misses this way, and attaching the whole
     * object for it cost more than the read (README, "Opens and closes attach no SQL object").
     */
    static Optional<StoredSession> readById(Handle h, UUID id) {
        try (Query query = h.createQuery(SELECT + " WHERE s.id = :id")) {
            return query.bind("id", id).map(StoredSessionMapper.INSTANCE).findOne();
        }
    }

    /**
     * Locks the user's row for the rest of the transaction: opens and activations of one user
     * run one at a time, so per-user limits hold exactly. Empty if the user is gone.
     */
    @SqlQuery("SELECT id FROM users WHERE id = :id FOR UPDATE")
    Optional<UUID> lockUser(@Bind("id") UUID id);

    /** The user's top-level sessions that may still be open, oldest first (the cutoffs carry a safety margin). */
    @SqlQuery("""
            SELECT id FROM sessions
            WHERE user_id = :user AND parent_session_id IS NULL AND lifetime_end_ms > :now
              AND ((client_kind = 'DESKTOP' AND last_activity_ms > :desktopCutoff)
                   OR (client_kind <> 'DESKTOP' AND last_activity_ms > :cutoff))
            ORDER BY create_time_ms, id""")
    List<UUID> liveTopLevelIds(@Bind("user") UUID user, @Bind("now") long now, @Bind("cutoff") long cutoff,
            @Bind("desktopCutoff") long desktopCutoff);

    @SqlUpdate("UPDATE sessions SET is_active = :active WHERE id = :id AND is_active <> :active")
    int setActive(@Bind("id") UUID id, @Bind("active") boolean active);

    /** The store-wide configuration version; a statement on the caller's handle, like {@link #readById}. */
    static long readConfigurationVersion(Handle h) {
        try (Query query = h.createQuery("SELECT version FROM configuration WHERE id = 1")) {
            return query.mapTo(Long.class).one();
        }
    }

    @SqlUpdate("UPDATE configuration SET version = version + 1, platform_version = :platform WHERE id = 1")
    int incrementConfigurationVersion(@Bind("platform") String platformVersion);

    final class StoredSessionMapper implements RowMapper<StoredSession> {
        static final StoredSessionMapper INSTANCE = new StoredSessionMapper();

        private final UserRowMapper users = new UserRowMapper("u_");

        private StoredSessionMapper() {}

        @Override
        public StoredSession map(ResultSet rs, StatementContext ctx) throws SQLException {
            int offset = rs.getInt("client_utc_offset_s");
            Optional<ZoneOffset> utcOffset = rs.wasNull() ? Optional.empty() : Optional.of(ZoneOffset.ofTotalSeconds(offset));
            ClientContext client = new ClientContext(
                    nonNull(rs.getString("client_culture")),
                    nonNull(rs.getString("client_ui_culture")),
                    utcOffset,
                    rs.getString("client_host"),
                    rs.getString("client_address"),
                    rs.getString("transport"));
            Session session = new Session(
                    rs.getObject("id", UUID.class),
                    users.map(rs, ctx),
                    Optional.ofNullable(rs.getObject("parent_session_id", UUID.class)),
                    rs.getString("application_id"),
                    ClientKind.valueOf(rs.getString("client_kind")),
                    SessionType.valueOf(rs.getString("session_type")),
                    LicenseType.valueOf(rs.getString("license_type")),
                    rs.getBoolean("is_active"),
                    rs.getBoolean("counts_seat"),
                    client,
                    rs.getString("instance_name"),
                    rs.getString("server_code"),
                    Instant.ofEpochMilli(rs.getLong("create_time_ms")),
                    Instant.ofEpochMilli(rs.getLong("last_activity_ms")),
                    Instant.ofEpochMilli(rs.getLong("lifetime_end_ms")));
            return new StoredSession(session, rs.getString("secret_hash"));
        }

        private static String nonNull(String value) {
            return value == null ? "" : value;
        }
    }
}
