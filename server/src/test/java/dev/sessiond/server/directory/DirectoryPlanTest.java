package dev.sessiond.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.server.directory.DirectoryDao.Match;
import dev.sessiond.server.directory.DirectoryDao.Scope;
import dev.sessiond.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the store answers a directory page, read from its own query plan: every filter's page,
 * the first of a walk included, walks the filter's index in (create time, id) order and stops
 * after the page, instead of reading and sorting every matching session. The figures that show
 * what that is worth are the benchmark's (EnumSessions, first page); this is the property behind
 * them, which does not depend on the machine.
 */
class DirectoryPlanTest {

    private static final int SESSIONS = 3_000;
    private static final int USERS = 3;
    private static final int HOSTS = 10;
    private static final int LIMIT = 21;
    private static final long NOW = 1_800_000_000_000L;
    /** H2 names the index a table is read by, then how many rows it read, each in a comment. */
    private static final Pattern H2_SESSIONS_SCAN = Pattern.compile(
            "\"SESSIONS\" \"S\"\\s*/\\* ([^*]+) \\*/\\s*/\\* scanCount: (\\d+) \\*/");

    /** The index of the migrations (V4) that serves each filter on H2; each ends in (create time, id). */
    private static final Map<Match, String> INDEXES = Map.of(
            Match.ANY, "sessions_create_idx",
            Match.HOST, "sessions_host_create_idx",
            Match.USER, "sessions_user_create_idx",
            Match.HOST_AND_USER, "sessions_host_user_create_idx");

    @TempDir
    Path dir;

    TestServer sessiond;
    Jdbi store;
    final List<UUID> users = new ArrayList<>();

    @BeforeEach
    void seed() {
        sessiond = TestServer.start(dir);
        store = sessiond.database();
        for (int u = 0; u < USERS; u++) {
            users.add(UUID.fromString(sessiond.createUser("plan-user-" + u, "plan-password-1", false, false).getId()));
        }
        store.useTransaction(h -> {
            // Only the rows stored here: the administrator's sessions that made the users go.
            h.execute("DELETE FROM sessions");
            SessionRows rows = new SessionRows(h);
            for (int i = 0; i < SESSIONS; i++) {
                long created = NOW - SESSIONS + i;
                rows.add(users.get(i % USERS), i % 2 == 0 ? "DESKTOP" : "WEB", "WS-" + (i % HOSTS), created, created,
                        NOW + 3_600_000);
            }
            rows.write();
        });
        if (sessiond.onPostgres()) {
            store.useHandle(h -> h.execute("ANALYZE sessions"));
        }
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    @Test
    void everyFiltersFirstPage_walksItsIndexInOrder_andReadsOnlyThePage() {
        for (Match match : Match.values()) {
            String plan = plan(DirectoryDao.PAGE, match, match.ascending, DirectoryDao.START_TIME,
                    DirectoryDao.START_ID);
            assertWalksInOrder(match + ", first page", plan, match, LIMIT);
        }
    }

    @Test
    void everyFiltersLaterPage_walksItsIndexInOrder_andReadsOnlyThePage() {
        for (Match match : Match.values()) {
            String plan = plan(DirectoryDao.PAGE, match, match.ascending, NOW - SESSIONS / 2, new UUID(0, 0));
            assertWalksInOrder(match + ", later page", plan, match, LIMIT);
        }
    }

    @Test
    void theNewestSessionOfAUserOnAHost_isTheFirstRowRead() {
        String plan = plan(DirectoryDao.LATEST, Match.HOST_AND_USER, Match.HOST_AND_USER.descending, 0, null);
        assertWalksInOrder("GetSessionInfo", plan, Match.HOST_AND_USER, 1);
    }

    /**
     * H2 serves the query from the filter's own index, walks it in order and leaves it after
     * {@code rows} (+1: the cursor reads one past). PostgreSQL chooses by its statistics between
     * such a walk and reading a filter's few matches from an index and sorting them (a top-N
     * sort); it never scans the table, and with no filter, where every session matches, it
     * walks in order.
     */
    private void assertWalksInOrder(String what, String plan, Match match, int rows) {
        if (sessiond.onPostgres()) {
            assertThat(plan).as(what).doesNotContain("Seq Scan");
            if (match == Match.ANY) {
                assertThat(plan).as(what).contains("Index Scan using sessions_create_idx").doesNotContain("Sort");
            }
            return;
        }
        assertThat(plan.toLowerCase(Locale.ROOT)).as(what + ": the index in\n" + plan).contains(INDEXES.get(match));
        assertThat(plan).as(what + ": the rows come in the index's order").contains("/* index sorted */");
        Matcher scan = H2_SESSIONS_SCAN.matcher(plan);
        assertThat(scan.find()).as(what + ": the sessions table's scan in\n" + plan).isTrue();
        assertThat(Integer.parseInt(scan.group(2))).as(what + ": rows read, by " + scan.group(1))
                .isLessThanOrEqualTo(rows + 1);
    }

    /** The store's plan of a level-1 query (nested sessions counted), as run. */
    private String plan(String sql, Match match, String order, long afterTime, UUID afterId) {
        Scope scope = new Scope(match, "ws-3", users.get(1), NOW, NOW - 3_600_000, NOW - 28_800_000);
        return store.withHandle(h -> explain(h)
                .createQuery(explainPrefix() + sql)
                .define("match", match.sql).define("order", order).define("openCount", DirectoryDao.NESTED_OPEN_COUNT)
                .bindMethods(scope).bind("afterTime", afterTime).bind("afterId", afterId).bind("limit", LIMIT + 1)
                .mapTo(String.class).list()).stream().reduce("", (a, b) -> a + b + "\n");
    }

    private String explainPrefix() {
        return sessiond.onPostgres() ? "EXPLAIN (ANALYZE, COSTS OFF) " : "EXPLAIN ANALYZE ";
    }

    /** The scope's fields are bound by name; not every query uses every one. */
    private static Handle explain(Handle h) {
        h.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        return h;
    }
}
