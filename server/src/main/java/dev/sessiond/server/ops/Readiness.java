package dev.sessiond.server.ops;

import static java.util.Objects.requireNonNull;

/**
 * Whether the server should receive traffic, and why (not): the same state that
 * {@code grpc.health.v1} reports for the whole server.
 *
 * @param ready true while serving: the store is reachable and the server is not shutting down
 * @param detail a short explanation for people, e.g. {@code the store is unreachable}
 */
public record Readiness(boolean ready, String detail) {
    public Readiness {
        requireNonNull(detail, "detail");
    }
}
