package dev.sessiond.server.user;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The reads of every sign-in and of every open by user id or login.
 * Statements on the caller's handle, not a SQL object: a Jdbi attach costs a proxy and a
 * configuration copy each time (README, "Opens and closes attach no SQL object").
 */
final class UserLookupDao {

    static final String COLUMNS = "id, login, display_name, is_admin, is_service, license_type, is_blocked, create_time_ms, update_time_ms";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = :id";
    private static final String BY_LOGIN_KEY = "SELECT " + COLUMNS + " FROM users WHERE login_key = :loginKey";
    private static final String PASSWORD_HASH = "SELECT password_hash FROM users WHERE id = :id";
    private static final UserRowMapper USERS = new UserRowMapper();

    private UserLookupDao() {}

    static Optional<User> findById(Handle h, UUID id) {
        try (Query query = h.createQuery(BY_ID)) {
            return query.bind("id", id).map(USERS).findOne();
        }
    }

    static Optional<User> findByLoginKey(Handle h, String loginKey) {
        try (Query query = h.createQuery(BY_LOGIN_KEY)) {
            return query.bind("loginKey", loginKey).map(USERS).findOne();
        }
    }

    /** Empty for an unknown user and for a user without a password. */
    static Optional<String> passwordHash(Handle h, UUID id) {
        try (Query query = h.createQuery(PASSWORD_HASH)) {
            return query.bind("id", id).mapTo(String.class).findOne();
        }
    }
}
