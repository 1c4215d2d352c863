package dev.sessiond.server.session;

import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

/**
 * Last-activity writes: once per UpdateLastActivity call and once per activity batch. A write
 * never moves a session's activity backwards.
 * Statements on the caller's handle, not a SQL object: a Jdbi attach costs a proxy and a
 * configuration copy each time (README, "Opens and closes attach no SQL object").
 */
final class ActivityDao {

    private static final String TOUCH = "UPDATE sessions SET last_activity_ms = :time WHERE id = :id AND last_activity_ms < :time";

    private ActivityDao() {}

    /** @return 1 when the activity moved forward, 0 when the session is gone or had a later use */
    static int touch(Handle h, UUID id, long time) {
        try (Update update = h.createUpdate(TOUCH)) {
            return update.bind("id", id).bind("time", time).execute();
        }
    }

    /** The same for many sessions (id to time) in one batch. */
    static void touchAll(Handle h, Map<UUID, Long> times) {
        try (PreparedBatch batch = h.prepareBatch(TOUCH)) {
            times.forEach((id, time) -> batch.bind("id", id).bind("time", (long) time).add());
            batch.execute();
        }
    }
}
