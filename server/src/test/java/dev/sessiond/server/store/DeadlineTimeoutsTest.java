package dev.sessiond.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sessiond.server.config.Config.DatabaseConfig;
import dev.sessiond.server.testing.TestDatabase;
import io.grpc.Context;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every statement is bounded by the deadline of the call it serves, on the store's own Jdbi. */
class DeadlineTimeoutsTest {

    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();
    private TestDatabase.Store database;
    private Store store;

    @BeforeEach
    void open() {
        database = TestDatabase.create();
        // Two connections: what Flyway needs to migrate.
        store = Store.open(new DatabaseConfig(database.url(), database.user(), database.password(), 2));
    }

    @AfterEach
    void close() {
        store.close();
        database.drop().run();
        deadlines.shutdownNow();
    }

    @Test
    void aStatementsTimeout_isTheRemainingDeadlineOfItsCall_roundedUp_andWithoutOne30Seconds() {
        List<Integer> seen = new ArrayList<>();

        seen.add(timeoutSeen(null));
        seen.add(timeoutSeen(Context.current().withDeadlineAfter(4_500, TimeUnit.MILLISECONDS, deadlines)));
        seen.add(timeoutSeen(Context.current().withDeadlineAfter(5, TimeUnit.MINUTES, deadlines)));
        seen.add(timeoutSeen(Context.current().withDeadlineAfter(200, TimeUnit.MILLISECONDS, deadlines)));
        seen.add(timeoutSeen(null));

        assertThat(seen).containsExactly(30, 5, 30, 1, 30);
    }

    @Test
    void statementsUnderAnUnchangedTimeout_keepH2sParsedStatements() throws SQLException {
        assumeFalse(TestDatabase.postgres(), "H2's parsed-statement cache");
        // Each connection's first statement sets its bound (H2 keeps one per connection).
        store.jdbi().useHandle(first -> store.jdbi().useHandle(second -> {
            first.createQuery("SELECT 1").mapTo(int.class).one();
            second.createQuery("SELECT 1").mapTo(int.class).one();
        }));
        long before = store.jdbi().withHandle(DeadlineTimeoutsTest::h2MetaVersion);

        for (int i = 0; i < 20; i++) {
            store.jdbi().useHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions").mapTo(int.class).one());
        }

        // Every SET QUERY_TIMEOUT would count up the version that tells H2 to parse statements anew.
        assertThat(store.jdbi().withHandle(DeadlineTimeoutsTest::h2MetaVersion)).isEqualTo(before);
    }

    /** The timeout a statement run in {@code call} (null: outside any call) executes with. */
    private int timeoutSeen(Context.CancellableContext call) {
        int[] seen = new int[1];
        StatementCustomizer recorder = new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
                seen[0] = statement.getQueryTimeout();
            }
        };
        Runnable query = () -> store.jdbi().useHandle(h -> h.createQuery("SELECT 1").addCustomizer(recorder)
                .mapTo(int.class).one());
        if (call == null) {
            query.run();
        } else {
            try {
                call.run(query);
            } finally {
                call.cancel(null);
            }
        }
        return seen[0];
    }

    private static long h2MetaVersion(Handle h) throws SQLException {
        Connection connection = h.getConnection();
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getModificationMetaId();
    }
}
