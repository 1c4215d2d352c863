package dev.sessiond.server.session;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

/**
 * Last-activity writes: once per UpdateLastActivity call and once per activity batch. A write
 * never moves a session's activity backwards. Statements on the caller's handle rather than a
 * SQL object: attaching one costs about the same whatever its size (a copy of the
 * configuration, a proxy, reflective lookups), and every UpdateLastActivity call paid it
 * (README, "What makes it fast").
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

    /** The same for many sessions in one batch; {@code times} match {@code ids} by position. */
    static void touchAll(Handle h, List<UUID> ids, List<Long> times) {
        try (PreparedBatch batch = h.prepareBatch(TOUCH)) {
            for (int i = 0; i < ids.size(); i++) {
                batch.bind("id", ids.get(i)).bind("time", (long) times.get(i)).add();
            }
            batch.execute();
        }
    }
}
