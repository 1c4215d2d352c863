package dev.sessiond.server.api;

import dev.sessiond.proto.v1.SessionEvent;
import dev.sessiond.proto.v1.SessionEventKind;
import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.audit.StoredEvent;
import dev.sessiond.server.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Audit events between the domain and the contract. */
final class AuditMapper {

    private static final String PAGE_TOKEN_PREFIX = "events:";

    private AuditMapper() {}

    static SessionEvent toProto(StoredEvent stored) {
        AuditEvent e = stored.event();
        return SessionEvent.newBuilder()
                .setId(stored.id())
                .setTime(Protos.timestamp(e.time()))
                .setKind(SessionEventKind.valueOf("SESSION_EVENT_KIND_" + e.kind().name()))
                .setSessionId(e.sessionId().map(Object::toString).orElse(""))
                .setUserId(e.userId().map(Object::toString).orElse(""))
                .setUserLogin(e.userLogin())
                .setActorUserId(e.actor().userId().map(Object::toString).orElse(""))
                .setActorLogin(e.actor().login())
                .setClientHost(e.actor().clientHost())
                .setClientAddress(e.actor().clientAddress())
                .setAuthSource(e.authSource())
                .setDetail(e.detail())
                .build();
    }

    /** Empty for UNSPECIFIED (= any kind). */
    static Optional<EventKind> fromProto(SessionEventKind kind) {
        if (kind == SessionEventKind.SESSION_EVENT_KIND_UNSPECIFIED) {
            return Optional.empty();
        }
        if (kind == SessionEventKind.UNRECOGNIZED) {
            throw new InvalidArgumentException("kind", "unknown value (expected: a SessionEventKind)");
        }
        return Optional.of(EventKind.valueOf(kind.name().substring("SESSION_EVENT_KIND_".length())));
    }

    static String encodePageToken(long lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PAGE_TOKEN_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Long> decodePageToken(String token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PAGE_TOKEN_PREFIX)) {
                return Optional.of(Long.parseLong(decoded.substring(PAGE_TOKEN_PREFIX.length())));
            }
        } catch (IllegalArgumentException e) { // bad base64 or not a number
            // reported below
        }
        throw new InvalidArgumentException("page_token",
                "not a token from ListSessionEvents (expected: a next_page_token, or empty)");
    }
}
