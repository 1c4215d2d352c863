package dev.sessiond.server.user;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(UserRowMapper.class)
interface UserDao {

    @SqlUpdate("""
            INSERT INTO users (id, login, login_key, display_name, password_hash, is_admin, is_service,
                               license_type, is_blocked, create_time_ms, update_time_ms)
            VALUES (:id, :login, :loginKey, :displayName, :passwordHash, :isAdmin, :isService,
                    :licenseType, FALSE, :now, :now)
            """)
    void insert(@Bind("id") UUID id, @Bind("login") String login, @Bind("loginKey") String loginKey,
            @Bind("displayName") String displayName, @Bind("passwordHash") String passwordHash,
            @Bind("isAdmin") boolean isAdmin, @Bind("isService") boolean isService,
            @Bind("licenseType") String licenseType, @Bind("now") long now);

    @SqlQuery("SELECT " + UserLookupDao.COLUMNS + " FROM users WHERE login_key > :after ORDER BY login_key LIMIT :limit")
    List<User> listAfter(@Bind("after") String afterLoginKey, @Bind("limit") int limit);

    @SqlQuery("SELECT COUNT(*) FROM users")
    long count();

    @SqlQuery("SELECT COUNT(*) FROM users WHERE is_admin AND NOT is_blocked AND id <> :id")
    long countOtherActiveAdmins(@Bind("id") UUID id);

    @SqlUpdate("""
            UPDATE users SET display_name = :displayName, is_admin = :isAdmin, is_service = :isService,
                             license_type = :licenseType, is_blocked = :isBlocked, update_time_ms = :now
            WHERE id = :id
            """)
    int update(@Bind("id") UUID id, @Bind("displayName") String displayName, @Bind("isAdmin") boolean isAdmin,
            @Bind("isService") boolean isService, @Bind("licenseType") String licenseType,
            @Bind("isBlocked") boolean isBlocked, @Bind("now") long now);

    @SqlUpdate("UPDATE users SET password_hash = :hash, update_time_ms = :now WHERE id = :id")
    int setPasswordHash(@Bind("id") UUID id, @Bind("hash") String hash, @Bind("now") long now);

    @SqlUpdate("DELETE FROM users WHERE id = :id")
    int delete(@Bind("id") UUID id);
}
