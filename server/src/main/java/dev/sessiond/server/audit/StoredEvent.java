package dev.sessiond.server.audit;

import static java.util.Objects.requireNonNull;

/** An audit event as stored, with its id (ids grow in recording order). */
public record StoredEvent(long id, AuditEvent event) {
    public StoredEvent {
        requireNonNull(event, "event");
    }
}
