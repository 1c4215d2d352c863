package dev.sessiond.server.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Which audit events to list; empty fields match everything. {@code end} is exclusive. */
public record EventFilter(
        Optional<UUID> userId,
        Optional<UUID> sessionId,
        Optional<EventKind> kind,
        Optional<Instant> start,
        Optional<Instant> end) {

    public EventFilter {
        requireNonNull(userId, "userId");
        requireNonNull(sessionId, "sessionId");
        requireNonNull(kind, "kind");
        requireNonNull(start, "start");
        requireNonNull(end, "end");
    }
}
