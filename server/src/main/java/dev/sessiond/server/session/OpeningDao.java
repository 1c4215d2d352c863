package dev.sessiond.server.session;

import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * The insert of an open.
 * Statements on the caller's handle, not a SQL object: a Jdbi attach costs a proxy and a
 * configuration copy each time (README, "Opens and closes attach no SQL object").
 */
final class OpeningDao {

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

    /** Stores a session just opened, with the hash of its token's secret. */
    static void insert(Handle h, Session session, String secretHash) {
        ClientContext client = session.client();
        try (Update update = h.createUpdate(INSERT)) {
            update.bind("id", session.id())
                    .bind("secretHash", secretHash)
                    .bind("userId", session.user().id())
                    .bindByType("parentId", session.parentId().orElse(null), UUID.class)
                    .bind("applicationId", session.applicationId())
                    .bind("clientKind", session.clientKind().name())
                    .bind("type", session.type().name())
                    .bind("licenseType", session.licenseType().name())
                    .bind("active", session.isActive())
                    .bind("countsSeat", session.countsSeat())
                    .bind("culture", emptyToNull(client.culture()))
                    .bind("uiCulture", emptyToNull(client.uiCulture()))
                    .bind("utcOffset", client.utcOffset().map(ZoneOffset::getTotalSeconds).orElse(null))
                    .bind("clientHost", client.clientHost())
                    // The session directory looks hosts up without regard to case, like logins.
                    .bind("clientHostKey", client.clientHost().toLowerCase(Locale.ROOT))
                    .bind("clientAddress", client.clientAddress())
                    .bind("transport", client.transport())
                    .bind("instanceName", session.instanceName())
                    .bind("serverCode", session.serverCode())
                    .bind("createTime", session.createTime().toEpochMilli())
                    .bind("lastActivity", session.lastActivity().toEpochMilli())
                    .bind("lifetimeEnd", session.lifetimeEnd().toEpochMilli())
                    .execute();
        }
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
