package dev.sessiond.server.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Short messages that every server sharing the store hears once the transaction that sent them
 * commits — how servers keep what they remember of the store (the session cache) exact. On
 * PostgreSQL they are {@code NOTIFY}s ({@link PostgresChangeNotices}); an embedded H2 store has
 * one server, which changes everything itself, so there nobody else needs telling
 * ({@link #none()}). Thread-safe.
 */
public interface ChangeNotices extends AutoCloseable {

    /** Whoever keeps memory of the store: told what changed elsewhere, and when notices were lost. */
    interface Listener {

        /** Another server (or this one) committed a change described by {@code message}. */
        void changed(String message);

        /**
         * Notices may have been lost (the listening connection broke and was replaced): forget
         * everything remembered from the store.
         */
        void missed();
    }

    /**
     * Sends {@code messages} with {@code handle}'s transaction: heard if and when it commits.
     * Each message is at most {@link #MAX_MESSAGE} characters.
     */
    void send(Handle handle, List<String> messages);

    /** The longest message {@link #send} takes (PostgreSQL's NOTIFY payload limit is 8,000 bytes). */
    int MAX_MESSAGE = 7_000;

    /**
     * Whether every notice committed more than a second ago has surely been heard: only then may
     * memory of the store be trusted. False while the listening connection is broken or behind.
     */
    boolean current();

    /** Starts telling {@code listener}; at most one listener. */
    void listen(Listener listener);

    @Override
    void close();

    /** A store that one server owns alone: nothing to send, nothing to hear, always current. */
    static ChangeNotices none() {
        return new ChangeNotices() {
            @Override
            public void send(Handle handle, List<String> messages) {
                // nobody else shares the store
            }

            @Override
            public boolean current() {
                return true;
            }

            @Override
            public void listen(Listener listener) {
                // nothing will ever be heard
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
    }
}
