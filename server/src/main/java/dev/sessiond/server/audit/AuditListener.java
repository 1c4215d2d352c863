package dev.sessiond.server.audit;

import java.util.List;

/**
 * Hears audit events once their transaction has committed, so that what it counts or logs
 * really happened. Called on the committing thread; implementations are quick, thread-safe,
 * and never throw (a failure is logged and ignored by {@link AuditLog}).
 */
@FunctionalInterface
public interface AuditListener {

    void committed(List<AuditEvent> events);
}
