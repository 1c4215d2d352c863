package dev.sessiond.server.user;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The reads every sign-in and every open by user id or login make, apart from the rest of
 * {@link UserDao}: Jdbi prepares every method of a SQL object each time one is attached, and
 * attaching all of UserDao for one of these reads was ~4 % of the open+close cycle's CPU.
 * UserDao extends it, so the writers read users the same way.
 */
@RegisterRowMapper(UserRowMapper.class)
interface UserLookupDao {

    String COLUMNS = "id, login, display_name, is_admin, is_service, license_type, is_blocked, create_time_ms, update_time_ms";

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
    Optional<User> findById(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE login_key = :loginKey")
    Optional<User> findByLoginKey(@Bind("loginKey") String loginKey);

    @SqlQuery("SELECT password_hash FROM users WHERE id = :id")
    Optional<String> passwordHash(@Bind("id") UUID id);
}
