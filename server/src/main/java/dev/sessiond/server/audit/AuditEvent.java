package dev.sessiond.server.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One audit row: a state change of a session or a user.
 *
 * @param time when it happened
 * @param kind what happened
 * @param sessionId the session concerned, if any
 * @param userId the user concerned, if known
 * @param userLogin that user's login (as typed, for failed logins)
 * @param actor who caused it and from where
 * @param authSource how the user authenticated, for opens and failed logins; else empty
 * @param detail free text; stored escaped
 */
public record AuditEvent(
        Instant time,
        EventKind kind,
        Optional<UUID> sessionId,
        Optional<UUID> userId,
        String userLogin,
        Actor actor,
        String authSource,
        String detail) {

    public AuditEvent {
        requireNonNull(time, "time");
        requireNonNull(kind, "kind");
        requireNonNull(sessionId, "sessionId");
        requireNonNull(userId, "userId");
        requireNonNull(userLogin, "userLogin");
        requireNonNull(actor, "actor");
        requireNonNull(authSource, "authSource");
        requireNonNull(detail, "detail");
    }

    /** An event about one session of one user. */
    public static AuditEvent ofSession(Instant time, EventKind kind, UUID sessionId, UUID userId, String userLogin, Actor actor) {
        return new AuditEvent(time, kind, Optional.of(sessionId), Optional.of(userId), userLogin, actor, "", "");
    }

    public AuditEvent withAuthSource(String source) {
        return new AuditEvent(time, kind, sessionId, userId, userLogin, actor, source, detail);
    }

    public AuditEvent withDetail(String text) {
        return new AuditEvent(time, kind, sessionId, userId, userLogin, actor, authSource, text);
    }
}
