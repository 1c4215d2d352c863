package dev.sessiond.server.audit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events in the caller's transaction, so that a state change and its event
 * commit or roll back together. Text that came from callers is escaped: control characters
 * become {@code \\uXXXX}, so an event row cannot forge line breaks in exported logs.
 * {@link AuditListener}s hear the events after the transaction commits (metrics, the log).
 * Stateless and thread-safe.
 */
public final class AuditLog {

    static final int MAX_TEXT = 1024;
    private static final String INSERT = """
            INSERT INTO session_events (time_ms, kind, session_id, user_id, user_login, actor_user_id,
                                        actor_login, client_host, client_address, auth_source, detail)
            VALUES (:time, :kind, CAST(:session AS UUID), CAST(:user AS UUID), :login, CAST(:actor AS UUID),
                    :actorLogin, :host, :address, :source, :detail)
            """;
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final List<AuditListener> listeners;

    public AuditLog() {
        this(List.of());
    }

    public AuditLog(List<AuditListener> listeners) {
        this.listeners = List.copyOf(requireNonNull(listeners, "listeners"));
    }

    /** Records events on the given handle (inside the caller's transaction). */
    public void record(Handle handle, List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        // Not a SQL object: see README, "Audit rows without a SQL object".
        try (PreparedBatch batch = handle.prepareBatch(INSERT)) {
            for (AuditEvent e : events) {
                batch.bind("time", e.time().toEpochMilli())
                        .bind("kind", e.kind().name())
                        .bindByType("session", e.sessionId().orElse(null), UUID.class)
                        .bindByType("user", e.userId().orElse(null), UUID.class)
                        .bind("login", escape(e.userLogin(), 256))
                        .bindByType("actor", e.actor().userId().orElse(null), UUID.class)
                        .bind("actorLogin", escape(e.actor().login(), 256))
                        .bind("host", escape(e.actor().clientHost(), 255))
                        .bind("address", escape(e.actor().clientAddress(), 64))
                        .bind("source", e.authSource())
                        .bind("detail", escape(e.detail(), MAX_TEXT))
                        .add();
            }
            batch.execute();
        }
        if (!listeners.isEmpty()) {
            List<AuditEvent> committed = List.copyOf(events);
            if (handle.isInTransaction()) {
                handle.afterCommit(() -> tell(committed));
            } else {
                tell(committed);
            }
        }
    }

    private void tell(List<AuditEvent> events) {
        for (AuditListener listener : listeners) {
            try {
                listener.committed(events);
            } catch (RuntimeException e) {
                // The change is committed: a listener's failure must not turn it into an error for the caller.
                log.warn("audit listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
            }
        }
    }

    public void record(Handle handle, AuditEvent event) {
        record(handle, List.of(event));
    }

    /**
     * Escapes control characters and backslashes, and cuts to at most {@code max} characters,
     * never inside an escape or a surrogate pair.
     */
    static String escape(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String piece;
            if (c == '\\') {
                piece = "\\\\";
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                piece = String.format("\\u%04x", (int) c);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                piece = text.substring(i, i + 2);
                i++;
            } else {
                piece = String.valueOf(c);
            }
            if (out.length() + piece.length() > max) {
                break;
            }
            out.append(piece);
        }
        return out.toString();
    }
}
