package dev.sessiond.server.session;

import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * The insert of an open. A statement on the caller's handle, bound by name, rather than a SQL
 * object bound by the row's methods: attaching a SQL object costs about the same whatever its
 * size, and every open paid it (README, "What makes it fast").
 */
final class OpeningDao {

    /** The columns of one insert. */
    record Row(UUID id, String secretHash, UUID userId, UUID parentId, String applicationId, String clientKind,
            String type, String licenseType, boolean active, boolean countsSeat, String culture, String uiCulture, Integer utcOffset,
            String clientHost, String clientAddress, String transport, String instanceName, String serverCode,
            long createTime, long lastActivity, long lifetimeEnd) {}

    private static final String INSERT = """
            INSERT INTO sessions (id, secret_hash, user_id, parent_session_id, application_id, client_kind,
                                  session_type, license_type, is_active, counts_seat, client_culture, client_ui_culture,
                                  client_utc_offset_s, client_host, client_host_key, client_address, transport,
                                  instance_name, server_code, create_time_ms, last_activity_ms, lifetime_end_ms)
            VALUES (:id, :secretHash, :userId, CAST(:parentId AS UUID), :applicationId, :clientKind, :type, :licenseType,
                    :active, :countsSeat, :culture, :uiCulture, :utcOffset, :clientHost, :clientHostKey, :clientAddress,
                    :transport, :instanceName, :serverCode, :createTime, :lastActivity, :lifetimeEnd)
            """;

    private OpeningDao() {}

    static void insert(Handle h, Row row) {
        try (Update update = h.createUpdate(INSERT)) {
            update.bind("id", row.id())
                    .bind("secretHash", row.secretHash())
                    .bind("userId", row.userId())
                    .bindByType("parentId", row.parentId(), UUID.class)
                    .bind("applicationId", row.applicationId())
                    .bind("clientKind", row.clientKind())
                    .bind("type", row.type())
                    .bind("licenseType", row.licenseType())
                    .bind("active", row.active())
                    .bind("countsSeat", row.countsSeat())
                    .bind("culture", row.culture())
                    .bind("uiCulture", row.uiCulture())
                    .bind("utcOffset", row.utcOffset())
                    .bind("clientHost", row.clientHost())
                    // The session directory looks hosts up without regard to case, like logins.
                    .bind("clientHostKey", row.clientHost().toLowerCase(Locale.ROOT))
                    .bind("clientAddress", row.clientAddress())
                    .bind("transport", row.transport())
                    .bind("instanceName", row.instanceName())
                    .bind("serverCode", row.serverCode())
                    .bind("createTime", row.createTime())
                    .bind("lastActivity", row.lastActivity())
                    .bind("lifetimeEnd", row.lifetimeEnd())
                    .execute();
        }
    }
}
