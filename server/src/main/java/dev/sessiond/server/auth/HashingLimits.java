package dev.sessiond.server.auth;

/**
 * Bounds on password hashing, which costs 19 MiB and tens of milliseconds of one core per
 * Argon2id hash: at most {@code concurrency} hashes run at once, and at most {@code queue}
 * sign-ins wait for one; a sign-in beyond that is refused at once instead of queueing without
 * bound.
 */
public record HashingLimits(int concurrency, int queue) {

    /** No practical bound: for tools and tests that hash outside a server. */
    public static final HashingLimits UNBOUNDED = new HashingLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    public HashingLimits {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue: " + queue + " (expected: >= 0)");
        }
    }
}
