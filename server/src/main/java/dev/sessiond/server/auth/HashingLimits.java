package dev.sessiond.server.auth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Bounds on password hashing, which costs 19 MiB and tens of milliseconds of one core per
 * Argon2id hash: at most {@code concurrency} hashes run at once; a sign-in waits for one only
 * if at most {@code queue} others wait and its turn is expected within {@code maxWait} (from
 * how long recent hashes took); any other sign-in is refused at once instead of queueing.
 */
public record HashingLimits(int concurrency, int queue, Duration maxWait) {

    /** No practical bound: for tools and tests that hash outside a server. */
    public static final HashingLimits UNBOUNDED =
            new HashingLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofNanos(Long.MAX_VALUE));

    public HashingLimits {
        requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait: " + maxWait + " (expected: >= 0)");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue: " + queue + " (expected: >= 0)");
        }
    }
}
