package dev.sessiond.server.audit;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.store.StoreErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the audit trail, newest first, with keyset paging on the event id (stable while new
 * events are recorded). Stateless and thread-safe.
 */
public final class AuditTrail {

    private final Jdbi jdbi;

    public AuditTrail(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
    }

    /**
     * @param beforeId only events with a smaller id (the last id of the previous page)
     * @param limit the most events to return
     */
    public List<StoredEvent> list(EventFilter filter, Optional<Long> beforeId, int limit) {
        // Only the conditions that are set go into the SQL: no "(:x IS NULL OR ...)", which
        // PostgreSQL cannot type and no index can serve.
        List<String> where = new ArrayList<>();
        filter.userId().ifPresent(v -> where.add("user_id = :user"));
        filter.sessionId().ifPresent(v -> where.add("session_id = :session"));
        filter.kind().ifPresent(v -> where.add("kind = :kind"));
        filter.start().ifPresent(v -> where.add("time_ms >= :start"));
        filter.end().ifPresent(v -> where.add("time_ms < :end"));
        beforeId.ifPresent(v -> where.add("id < :before"));
        String sql = "SELECT * FROM session_events"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY id DESC LIMIT :limit";
        return StoreErrors.guard(() -> jdbi.withHandle(h -> {
            Query query = h.createQuery(sql).bind("limit", limit);
            filter.userId().ifPresent(v -> query.bind("user", v));
            filter.sessionId().ifPresent(v -> query.bind("session", v));
            filter.kind().ifPresent(v -> query.bind("kind", v.name()));
            filter.start().ifPresent(v -> query.bind("start", v.toEpochMilli()));
            filter.end().ifPresent(v -> query.bind("end", v.toEpochMilli()));
            beforeId.ifPresent(v -> query.bind("before", v));
            return query.map((rs, ctx) -> new StoredEvent(rs.getLong("id"), new AuditEvent(
                    Instant.ofEpochMilli(rs.getLong("time_ms")),
                    EventKind.valueOf(rs.getString("kind")),
                    Optional.ofNullable(rs.getObject("session_id", UUID.class)),
                    Optional.ofNullable(rs.getObject("user_id", UUID.class)),
                    nonNull(rs.getString("user_login")),
                    new Actor(Optional.ofNullable(rs.getObject("actor_user_id", UUID.class)),
                            nonNull(rs.getString("actor_login")), nonNull(rs.getString("client_host")),
                            nonNull(rs.getString("client_address"))),
                    nonNull(rs.getString("auth_source")),
                    nonNull(rs.getString("detail"))))).list();
        }));
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
