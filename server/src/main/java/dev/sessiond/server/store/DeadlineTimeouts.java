package dev.sessiond.server.store;

import io.grpc.Context;
import io.grpc.Deadline;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * Bounds every SQL statement by the deadline of the gRPC call it serves, so a slow or hung
 * database never keeps a call running past the time its caller waits. JDBC query timeouts
 * are whole seconds: the remaining time is rounded up (at least one second). Statements run
 * outside a call (start-up, background jobs) get {@code fallbackSeconds}. Stateless.
 */
final class DeadlineTimeouts implements StatementCustomizer {

    private final int fallbackSeconds;

    DeadlineTimeouts(int fallbackSeconds) {
        this.fallbackSeconds = fallbackSeconds;
    }

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
        Deadline deadline = Context.current().getDeadline();
        int seconds = fallbackSeconds;
        if (deadline != null) {
            long remainingMs = Math.max(0, deadline.timeRemaining(TimeUnit.MILLISECONDS));
            seconds = (int) Math.max(1, Math.min(fallbackSeconds, (remainingMs + 999) / 1000));
        }
        statement.setQueryTimeout(seconds);
    }
}
