package dev.sessiond.server.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * Bounds every SQL statement by the deadline of the gRPC call it serves, so a slow or hung
 * database never keeps a call running past the time its caller waits. JDBC query timeouts
 * are whole seconds: the remaining time is rounded up (at least one second). Statements run
 * outside a call (start-up, background jobs) get {@code fallbackSeconds}. Stateless.
 *
 * <p>The timeout is set only when it differs from the statement's. H2 keeps one timeout per
 * connection and changes it with a {@code SET QUERY_TIMEOUT} command, which also discards the
 * parsed form of every statement on every connection: set before each statement, it made H2
 * parse nearly every statement anew.
 */
final class DeadlineTimeouts implements StatementCustomizer {

    private final int fallbackSeconds;

    DeadlineTimeouts(int fallbackSeconds) {
        this.fallbackSeconds = fallbackSeconds;
    }

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
        long remainingNanos = CallDeadline.remainingNanos();
        int seconds = fallbackSeconds;
        if (remainingNanos != Long.MAX_VALUE) {
            long remainingMs = remainingNanos / 1_000_000;
            seconds = (int) Math.max(1, Math.min(fallbackSeconds, (remainingMs + 999) / 1000));
        }
        if (statement.getQueryTimeout() != seconds) {
            statement.setQueryTimeout(seconds);
        }
    }
}
