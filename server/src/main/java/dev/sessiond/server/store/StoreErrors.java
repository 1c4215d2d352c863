package dev.sessiond.server.store;

import dev.sessiond.server.error.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;

/** Classifies database failures, the same way for H2 and PostgreSQL. */
public final class StoreErrors {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** H2's state for "the referenced (parent) row is missing"; PostgreSQL uses 23503 for it. */
    private static final String H2_PARENT_MISSING = "23506";

    private StoreErrors() {}

    /** Whether {@code e} means the database could not be reached (as opposed to a bad statement). */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} is a unique-key violation. */
    public static boolean isUniqueViolation(Throwable e) {
        return hasSqlState(e, UNIQUE_VIOLATION);
    }

    /** Whether {@code e} is a foreign-key violation (e.g. the referenced row was deleted meanwhile). */
    public static boolean isForeignKeyViolation(Throwable e) {
        return hasSqlState(e, FOREIGN_KEY_VIOLATION) || hasSqlState(e, H2_PARENT_MISSING);
    }

    private static boolean hasSqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a store operation, turning "database unreachable" into {@link StoreUnavailableException};
     * other failures pass through unchanged.
     */
    public static void guardRun(Runnable operation) {
        guard(() -> {
            operation.run();
            return null;
        });
    }

    /** As {@link #guardRun}, for operations with a result. */
    public static <T> T guard(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (JdbiException e) {
            if (isUnavailable(e)) {
                throw new StoreUnavailableException(e);
            }
            throw e;
        }
    }
}
