package dev.sessiond.server.audit;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one INFO line per committed state change (each audit event: opens, closes, expiries,
 * failed logins, (de)activations, user and configuration changes). The lines carry ids,
 * logins, hosts and addresses — never a token, a token hash or a password, which audit events
 * do not hold. Text from callers is escaped as in the audit table, so it cannot forge lines.
 * Stateless and thread-safe.
 */
public final class StateChangeLog implements AuditListener {

    private static final Logger log = LoggerFactory.getLogger(StateChangeLog.class);
    private static final int MAX_TEXT = 256;

    @Override
    public void committed(List<AuditEvent> events) {
        if (!log.isInfoEnabled()) {
            return;
        }
        for (AuditEvent e : events) {
            log.info("{} session={} user={} actor={} host={} address={}{}{}",
                    e.kind(),
                    e.sessionId().map(Object::toString).orElse("-"),
                    text(e.userLogin()),
                    actor(e.actor()),
                    text(e.actor().clientHost()),
                    text(e.actor().clientAddress()),
                    e.authSource().isEmpty() ? "" : " source=" + e.authSource(),
                    e.detail().isEmpty() ? "" : " detail=\"" + AuditLog.escape(e.detail(), AuditLog.MAX_TEXT) + "\"");
        }
    }

    private static String actor(Actor actor) {
        if (!actor.login().isEmpty()) {
            return text(actor.login());
        }
        boolean fromNowhere = actor.clientHost().isEmpty() && actor.clientAddress().isEmpty();
        return actor.userId().isEmpty() && fromNowhere ? "server" : "anonymous";
    }

    private static String text(String value) {
        return value.isEmpty() ? "-" : AuditLog.escape(value, MAX_TEXT);
    }
}
