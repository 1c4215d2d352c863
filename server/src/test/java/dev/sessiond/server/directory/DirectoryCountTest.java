package dev.sessiond.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.server.directory.DirectoryDao.Match;
import dev.sessiond.server.directory.DirectoryDao.Scope;
import dev.sessiond.server.testing.TestServer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory's count of open sessions without a filter (every session less those that are
 * not open) against the direct count, on stored sessions of every kind of open and not open,
 * the edges of each rule included.
 */
class DirectoryCountTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long MINUTE = 60_000;
    private static final long WEB_IDLE_CUTOFF = NOW - 30 * MINUTE;
    private static final long DESKTOP_IDLE_CUTOFF = NOW - 8 * 60 * MINUTE;
    private static final long LIVES_ON = NOW + 60 * MINUTE;
    private static final Pattern H2_SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @TempDir
    Path dir;

    TestServer sessiond;
    Jdbi store;
    UUID user;
    SessionRows batch;
    /** Rows in the two index ranges the count reads: lifetime over, and used before the later idle cutoff. */
    int inRanges;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir);
        store = sessiond.database();
        // Only the rows each test stores: whatever the server stored when it started goes.
        store.useHandle(h -> h.execute("DELETE FROM sessions"));
        user = store.withHandle(h -> h.createQuery("SELECT id FROM users").mapTo(UUID.class).first());
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    @Test
    void countWithoutAFilter_isEverySessionLessTheOnesNotOpen() {
        store.useTransaction(h -> {
            batch = new SessionRows(h);
            // open
            store(7, "WEB", NOW - 10 * MINUTE, LIVES_ON);
            store(5, "DESKTOP", NOW - 120 * MINUTE, LIVES_ON); // idle past the web timeout, not the desktop one
            store(2, "WEB", WEB_IDLE_CUTOFF + 1, NOW + 1); // a millisecond inside each bound
            // not open
            store(3, "WEB", NOW - 40 * MINUTE, LIVES_ON);
            store(2, "DESKTOP", NOW - 9 * 60 * MINUTE, LIVES_ON);
            store(1, "WEB", WEB_IDLE_CUTOFF, LIVES_ON); // idle exactly as long as allowed
            store(1, "DESKTOP", DESKTOP_IDLE_CUTOFF, LIVES_ON);
            store(4, "WEB", NOW - MINUTE, NOW - MINUTE); // lifetime over, recently used
            store(1, "WEB", NOW - MINUTE, NOW); // lifetime ends this millisecond
            store(2, "DESKTOP", NOW - 10 * 60 * MINUTE, NOW - MINUTE); // both over: counted once
            batch.write();
        });
        Scope scope = new Scope(Match.ANY, null, null, NOW, WEB_IDLE_CUTOFF, DESKTOP_IDLE_CUTOFF);

        int direct = store.withExtension(DirectoryDao.class, dao -> dao.countMatching(Match.ANY.sql, scope));
        int counted = store.withExtension(DirectoryDao.class, dao -> dao.count(scope));

        assertThat(direct).as("the open sessions, counted one by one").isEqualTo(14);
        assertThat(counted).isEqualTo(direct);
        if (!sessiond.onPostgres()) {
            String plan = store.withHandle(h -> {
                h.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
                return h.createQuery("EXPLAIN ANALYZE " + DirectoryDao.COUNT_ALL).bindMethods(scope)
                        .mapTo(String.class).one();
            });
            int read = 0;
            for (Matcher m = H2_SCAN_COUNT.matcher(plan); m.find(); ) {
                read += Integer.parseInt(m.group(1));
            }
            // Each range reads one row past its end; the whole table's count reads none.
            assertThat(read).as("rows H2 read, in\n" + plan).isLessThanOrEqualTo(inRanges + 2);
        }
    }

    private void store(int count, String kind, long lastUse, long lifetimeEnd) {
        for (int i = 0; i < count; i++) {
            batch.add(user, kind, "WS-1", Math.min(lastUse, NOW - 11 * 60 * MINUTE), lastUse, lifetimeEnd);
        }
        inRanges += (lifetimeEnd <= NOW ? count : 0) + (lastUse <= WEB_IDLE_CUTOFF ? count : 0);
    }
}
