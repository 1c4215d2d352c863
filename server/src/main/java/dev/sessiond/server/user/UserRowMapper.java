package dev.sessiond.server.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps the {@code users} columns of a row to a {@link User}. Queries that join users to other
 * tables select the columns with a prefix (e.g. {@code u.login AS u_login}) and use
 * {@link #UserRowMapper(String)}.
 */
public final class UserRowMapper implements RowMapper<User> {

    private final String prefix;

    public UserRowMapper() {
        this("");
    }

    public UserRowMapper(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public User map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(
                rs.getObject(prefix + "id", UUID.class),
                rs.getString(prefix + "login"),
                rs.getString(prefix + "display_name"),
                rs.getBoolean(prefix + "is_admin"),
                rs.getBoolean(prefix + "is_service"),
                LicenseType.valueOf(rs.getString(prefix + "license_type")),
                rs.getBoolean(prefix + "is_blocked"),
                Instant.ofEpochMilli(rs.getLong(prefix + "create_time_ms")),
                Instant.ofEpochMilli(rs.getLong(prefix + "update_time_ms")));
    }
}
