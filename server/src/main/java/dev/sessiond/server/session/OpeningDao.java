package dev.sessiond.server.session;

import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The insert of an open, apart from {@link SessionDao}: Jdbi prepares every method of a SQL
 * object each time one is attached, and every open attaches this one (see {@link ActivityDao}).
 */
interface OpeningDao {

    /** The columns of one insert. */
    record Row(UUID id, String secretHash, UUID userId, UUID parentId, String applicationId, String clientKind,
            String type, String licenseType, boolean active, boolean countsSeat, String culture, String uiCulture, Integer utcOffset,
            String clientHost, String clientAddress, String transport, String instanceName, String serverCode,
            long createTime, long lastActivity, long lifetimeEnd) {

        /** The session directory looks hosts up without regard to case, like logins. */
        public String clientHostKey() {
            return clientHost.toLowerCase(Locale.ROOT);
        }
    }

    @SqlUpdate("""
            INSERT INTO sessions (id, secret_hash, user_id, parent_session_id, application_id, client_kind,
                                  session_type, license_type, is_active, counts_seat, client_culture, client_ui_culture,
                                  client_utc_offset_s, client_host, client_host_key, client_address, transport,
                                  instance_name, server_code, create_time_ms, last_activity_ms, lifetime_end_ms)
            VALUES (:id, :secretHash, :userId, CAST(:parentId AS UUID), :applicationId, :clientKind, :type, :licenseType,
                    :active, :countsSeat, :culture, :uiCulture, :utcOffset, :clientHost, :clientHostKey, :clientAddress,
                    :transport, :instanceName, :serverCode, :createTime, :lastActivity, :lifetimeEnd)
            """)
    void insert(@BindMethods Row row);
}
