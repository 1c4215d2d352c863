package dev.sessiond.server.store;

import static dev.sessiond.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sessiond.server.testing.TestDatabase;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change notices over the machine's real PostgreSQL: heard after commit only, and a broken
 * listening connection is noticed, replaced and reported as lost notices. Runs in the
 * PostgreSQL pass of the suite (an embedded H2 store has no notices to hear).
 */
class PostgresChangeNoticesTest {

    TestDatabase.Store database;
    Jdbi jdbi;
    PostgresChangeNotices notices;
    final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    final AtomicInteger missed = new AtomicInteger();

    @BeforeEach
    void start() {
        assumeTrue(TestDatabase.postgres(), "change notices are a PostgreSQL feature; this is the H2 pass");
        database = TestDatabase.create();
        jdbi = Jdbi.create(database.url(), database.user(), database.password());
        notices = PostgresChangeNotices.start(
                () -> DriverManager.getConnection(database.url(), database.user(), database.password()));
        notices.listen(new ChangeNotices.Listener() {
            @Override
            public void changed(String message) {
                heard.add(message);
            }

            @Override
            public void missed() {
                PostgresChangeNoticesTest.this.missed.incrementAndGet();
            }
        });
        waitFor(notices::current, "the first heartbeat");
    }

    @AfterEach
    void stop() {
        if (notices != null) {
            notices.close();
            database.drop().run();
        }
    }

    @Test
    void aNotice_isHeardOnceItsTransactionCommits_andNotIfItRollsBack() throws InterruptedException {
        try {
            jdbi.useTransaction(h -> {
                notices.send(h, List.of("s:rolled-back"));
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        jdbi.useTransaction(h -> notices.send(h, List.of("s:first", "s:second")));

        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("s:first");
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("s:second");
        assertThat(heard).isEmpty();
    }

    @Test
    void aBrokenListeningConnection_isReplaced_andReportedAsLostNotices() throws InterruptedException {
        int missedBefore = missed.get();

        int terminated = jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name")
                .bind("name", notices.applicationName()).mapTo(Integer.class).one());
        assertThat(terminated).isEqualTo(1);

        waitFor(() -> !notices.current(), "the broken connection to be noticed");
        waitFor(() -> missed.get() > missedBefore && notices.current(), "a new connection");
        jdbi.useTransaction(h -> notices.send(h, List.of("u:after-reconnect")));
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("u:after-reconnect");
    }

    @Test
    void aMessageTooLongForNotify_isRefusedBeforeItReachesTheStore() {
        String tooLong = "s:" + "x".repeat(ChangeNotices.MAX_MESSAGE);
        assertThatThrownBy(() -> jdbi.useHandle(h -> notices.send(h, List.of(tooLong))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Waits for {@code condition}: heartbeats run every 200 ms, reconnects after 500 ms. */
    private static void waitFor(BooleanSupplier condition, String what) {
        eventually(() -> assertThat(condition.getAsBoolean()).as("waiting for " + what).isTrue());
    }
}
