package dev.sessiond.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChangeNotices} over PostgreSQL's {@code LISTEN}/{@code NOTIFY}, on a connection of its
 * own outside the pool.
 *
 * <p>How "current" is known: every {@value #HEARTBEAT_MS} ms the listening connection notifies
 * itself with a numbered heartbeat. PostgreSQL delivers notices in commit order, so once a
 * heartbeat comes back, every notice committed before it was sent has been heard. The notices
 * count as current while the last heartbeat heard was sent less than {@link #TRUST} ago; a
 * change committed at time T is therefore heard, or memory stops being trusted, by
 * T + {@code TRUST} — inside the second SPEC §8 allows. When the connection breaks, notices sent
 * meanwhile are lost: after reconnecting (and listening again) the listener is told
 * {@link Listener#missed()} before anything is trusted again. Thread-safe.
 */
public final class PostgresChangeNotices implements ChangeNotices {

    private static final Logger log = LoggerFactory.getLogger(PostgresChangeNotices.class);

    static final String CHANNEL = "sessiond_changes";
    static final long HEARTBEAT_MS = 200;
    /** How long after sending the newest heartbeat heard the notices still count as current. */
    static final Duration TRUST = Duration.ofMillis(750);
    private static final long RECONNECT_DELAY_MS = 500;
    private static final int SOCKET_TIMEOUT_MS = 5_000;
    private static final String HEARTBEAT = "heartbeat:";

    private final Connector connector;
    /** Tells this server's heartbeats from other servers' (which it hears too, and ignores). */
    private final String id = UUID.randomUUID().toString();
    private final String heartbeatPrefix = HEARTBEAT + id + ":";
    private final Thread thread;

    private volatile Listener listener;
    private volatile boolean closed;
    /** {@link System#nanoTime()} when the newest heartbeat heard was sent; valid when {@link #confirmedOnce}. */
    private volatile long confirmedAt;
    private volatile boolean confirmedOnce;

    // Used by the listening thread only.
    private Connection connection;
    /** Heartbeats sent and not yet heard: {sequence number, nanoTime sent}, oldest first. */
    private final ArrayDeque<long[]> unheard = new ArrayDeque<>();
    private long sequence;
    private boolean outageLogged;

    /** Opens the listening connection (one of its own, outside any pool). */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private PostgresChangeNotices(Connector connector) {
        this.connector = connector;
        this.thread = new Thread(this::run, "sessiond-change-notices");
        thread.setDaemon(true);
    }

    /** How the listening connection introduces itself (pg_stat_activity.application_name). */
    String applicationName() {
        return "sessiond change notices " + id.substring(0, 8);
    }

    /** Starts listening on a connection that {@code connector} opens (and again after each break). */
    public static PostgresChangeNotices start(Connector connector) {
        PostgresChangeNotices notices = new PostgresChangeNotices(connector);
        notices.thread.start();
        return notices;
    }

    @Override
    public void send(Handle handle, List<String> messages) {
        try {
            notify(handle.getConnection(), messages);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static void notify(Connection connection, List<String> messages) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (String message : messages) {
                if (message.length() > MAX_MESSAGE) {
                    throw new IllegalArgumentException("a change notice of " + message.length() + " characters");
                }
                notify.setString(1, CHANNEL);
                notify.setString(2, message);
                notify.executeQuery().close();
            }
        }
    }

    @Override
    public boolean current() {
        return !closed && confirmedOnce && System.nanoTime() - confirmedAt < TRUST.toNanos();
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    private void run() {
        long nextHeartbeat = 0;
        while (!closed) {
            try {
                if (connection == null) {
                    connect();
                    nextHeartbeat = System.nanoTime();
                }
                long now = System.nanoTime();
                if (now - nextHeartbeat >= 0) {
                    sendHeartbeat(now);
                    nextHeartbeat = now + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MS);
                }
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextHeartbeat - System.nanoTime()));
                PGNotification[] heard = connection.unwrap(PGConnection.class).getNotifications((int) waitMs);
                if (heard != null) {
                    for (PGNotification notification : heard) {
                        hear(notification.getParameter());
                    }
                }
                outageLogged = false;
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (!outageLogged) {
                    log.warn("change notices from the store are not heard ({}); the session cache is bypassed until"
                            + " they are", e.getMessage());
                    outageLogged = true;
                }
                disconnect();
                sleep(RECONNECT_DELAY_MS);
            }
        }
        disconnect();
    }

    private void connect() throws SQLException {
        connection = connector.connect();
        connection.setClientInfo("ApplicationName", applicationName());
        // A listening connection that stops answering fails its heartbeat within this, then is replaced.
        connection.setNetworkTimeout(Runnable::run, SOCKET_TIMEOUT_MS);
        try (Statement listen = connection.createStatement()) {
            listen.execute("LISTEN " + CHANNEL);
        }
        // Whatever was sent while nobody listened is lost; only heartbeats sent from now on confirm.
        Listener current = listener;
        if (current != null) {
            current.missed();
        }
        if (outageLogged) {
            log.info("change notices from the store are heard again");
        }
    }

    private void sendHeartbeat(long now) throws SQLException {
        long number = ++sequence;
        unheard.addLast(new long[] {number, now});
        notify(connection, List.of(heartbeatPrefix + number));
    }

    private void hear(String message) {
        if (message.startsWith(heartbeatPrefix)) {
            long number = Long.parseLong(message.substring(heartbeatPrefix.length()));
            while (!unheard.isEmpty() && unheard.peekFirst()[0] <= number) {
                long[] heartbeat = unheard.removeFirst();
                if (heartbeat[0] == number) {
                    confirmedAt = heartbeat[1];
                    confirmedOnce = true;
                }
            }
        } else if (!message.startsWith(HEARTBEAT)) {
            Listener current = listener;
            if (current != null) {
                current.changed(message);
            }
        }
    }

    private void disconnect() {
        confirmedOnce = false;
        unheard.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // broken anyway
            }
            connection = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
