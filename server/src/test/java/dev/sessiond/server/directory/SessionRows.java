package dev.sessiond.server.directory;

import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Sessions written straight into the store, in one batch, for the tests of the directory's
 * queries: many rows, each with the host, kind and times a test needs, which the API could
 * only make one sign-in and a clock at a time.
 */
final class SessionRows {

    private final PreparedBatch batch;

    SessionRows(Handle handle) {
        batch = handle.prepareBatch("""
                INSERT INTO sessions (id, secret_hash, user_id, application_id, client_kind, session_type, license_type,
                    is_active, client_host, client_host_key, client_address, transport, instance_name, server_code,
                    create_time_ms, last_activity_ms, lifetime_end_ms)
                VALUES (:id, 'test', :user, 'test-app', :kind, 'NORMAL', 'NAMED', TRUE, :host, :hostKey, '127.0.0.1',
                    'PLAINTEXT', 'test', 'test', :created, :lastUse, :lifetimeEnd)""");
    }

    /** One open-or-not session of {@code user}; {@code kind} is DESKTOP or WEB. */
    SessionRows add(UUID user, String kind, String host, long created, long lastUse, long lifetimeEnd) {
        batch.bind("id", UUID.randomUUID()).bind("user", user).bind("kind", kind)
                .bind("host", host).bind("hostKey", host.toLowerCase(Locale.ROOT))
                .bind("created", created).bind("lastUse", lastUse).bind("lifetimeEnd", lifetimeEnd).add();
        return this;
    }

    void write() {
        batch.execute();
    }
}
