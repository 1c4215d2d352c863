package dev.sessiond.server.auth;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.store.NonBlocking;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The bounded pool of password-hashing slots ({@link HashingLimits}). Each Argon2id hash holds
 * 19 MiB and a core for tens of milliseconds, so a flood of sign-ins must not start them all at
 * once: at most {@code concurrency} run, and sign-ins wait (in arrival order) for a slot only
 * while the queue is short enough — at most {@code queue} ahead, and a turn expected within
 * {@code maxWait} at the pace recent hashes took (a moving average, so a machine slowed by
 * other work admits fewer). Any further sign-in is refused at once with RESOURCE_EXHAUSTED
 * instead of queueing without bound. Administrative hashing (new passwords, by authenticated
 * administrators) waits for a slot however long the queue.
 *
 * <p>The hash itself runs on {@code hashThreads} while the sign-in's thread waits for it: the
 * server gives threads that run at a lower OS priority than its call threads (see
 * {@code api.CallThreads}), so that hashing yields the CPU to validations when the cores are
 * contended. Thread-safe.
 */
public final class HashingSlots {

    /** What a refused sign-in is told to wait: about the time the queue takes to drain. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final HashingLimits limits;
    private final Semaphore slots;
    /** Sign-ins hashing or waiting to, bounded by concurrency + queue. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();
    /** Moving average of how long a hash took, in nanoseconds; 0 until one was measured. */
    private final AtomicLong averageHashNanos = new AtomicLong();
    /** Hashes run to their end so far, and their time together, for the metrics. */
    private final LongAdder hashed = new LongAdder();
    private final LongAdder hashedNanos = new LongAdder();
    private final Executor hashThreads;
    private final LongSupplier nanoTime;

    /** Slots whose hashes run on the thread that asks for them: for tools and tests. */
    public HashingSlots(HashingLimits limits) {
        this(limits, Runnable::run);
    }

    /** Slots whose hashes run on {@code hashThreads}, which must start each one without queueing it. */
    public HashingSlots(HashingLimits limits, Executor hashThreads) {
        this(limits, hashThreads, System::nanoTime);
    }

    HashingSlots(HashingLimits limits, Executor hashThreads, LongSupplier nanoTime) {
        this.limits = requireNonNull(limits, "limits");
        this.hashThreads = requireNonNull(hashThreads, "hashThreads");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
        this.slots = new Semaphore(limits.concurrency(), true);
    }

    public HashingLimits limits() {
        return limits;
    }

    /**
     * A sign-in's place in line for a hash, taken before the sign-in does anything else (reads
     * the store, say), so that a refused sign-in costs next to nothing. The hash this thread
     * runs while holding it uses the place; close it when the sign-in is over.
     */
    public final class Place implements AutoCloseable {
        private boolean closed;

        private Place() {}

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                held.remove();
                admitted.decrementAndGet();
            }
        }
    }

    /** The place the current thread's sign-in holds, if any. */
    private final ThreadLocal<Place> held = new ThreadLocal<>();

    /**
     * Takes a place in line for this thread's sign-in.
     *
     * @throws LimitExceededException LOGIN_THROTTLED (RESOURCE_EXHAUSTED) with a short retry delay when
     *     the queue is full or the sign-in's turn would come later than the longest wait allowed
     */
    public Place reserve() {
        long bound = (long) limits.concurrency() + limits.queue();
        int ahead = admitted.getAndIncrement();
        if (ahead >= bound || expectedWaitNanos(ahead) > limits.maxWait().toNanos()) {
            admitted.decrementAndGet();
            rejected.incrementAndGet();
            throw LimitExceededException.serverBusy(RETRY_AFTER);
        }
        Place place = new Place();
        held.set(place);
        return place;
    }

    /**
     * Runs a sign-in's hash in a slot: in the place this thread reserved, or in one taken now.
     *
     * @throws LimitExceededException as {@link #reserve()}, when no place was reserved
     */
    <T> T runOrRefuse(Supplier<T> hash) {
        if (held.get() != null) {
            return inSlot(hash);
        }
        try (Place place = reserve()) {
            return inSlot(hash);
        }
    }

    /** How long a sign-in with {@code ahead} others hashing or waiting before it would wait for a slot. */
    private long expectedWaitNanos(int ahead) {
        int concurrency = limits.concurrency();
        if (ahead < concurrency) {
            return 0;
        }
        long rounds = (ahead - concurrency) / concurrency + 1L; // slots free up concurrency at a time
        return rounds * averageHashNanos.get();
    }

    /** Runs an administrative hash in a slot, waiting as long as it takes. */
    <T> T run(Supplier<T> hash) {
        return inSlot(hash);
    }

    private <T> T inSlot(Supplier<T> hash) {
        NonBlocking.checkMayWait(); // tens of milliseconds of waiting: never on the transport's thread
        waiting.incrementAndGet();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LimitExceededException.serverBusy(RETRY_AFTER); // the server is shutting down
        } finally {
            waiting.decrementAndGet();
        }
        CompletableFuture<T> hashed;
        try {
            hashed = CompletableFuture.supplyAsync(() -> timed(hash), hashThreads);
        } catch (RejectedExecutionException e) {
            slots.release();
            throw LimitExceededException.serverBusy(RETRY_AFTER); // the hash threads were shut down
        }
        try {
            return hashed.get();
        } catch (InterruptedException e) {
            // The hash goes on to its end, and frees its slot there: its memory and core are in use until then.
            Thread.currentThread().interrupt();
            throw LimitExceededException.serverBusy(RETRY_AFTER);
        } catch (ExecutionException e) {
            // A Supplier throws nothing checked.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /** Runs a hash that holds a slot, frees the slot at its end and counts its time. */
    private <T> T timed(Supplier<T> hash) {
        long start = nanoTime.getAsLong();
        try {
            return hash.get();
        } finally {
            slots.release();
            measured(nanoTime.getAsLong() - start);
        }
    }

    /** Counts a hash's duration and folds it into the moving average (weight 1/8; the first one sets it). */
    private void measured(long nanos) {
        long sample = Math.max(nanos, 0);
        hashed.increment();
        hashedNanos.add(sample);
        averageHashNanos.accumulateAndGet(sample, (average, next) ->
                average == 0 ? next : average + (next - average) / 8);
    }

    /** Hashes running now. */
    public int running() {
        return limits.concurrency() - slots.availablePermits();
    }

    /** Hashes waiting for a slot now. */
    public int waiting() {
        return waiting.get();
    }

    /** Hashes run in a slot so far, to their end or their failure. */
    public long hashed() {
        return hashed.sum();
    }

    /**
     * The time those hashes took together, in nanoseconds: from when each started on its thread
     * to its end, so a hash slowed by other work on the cores counts that.
     */
    public long hashedNanos() {
        return hashedNanos.sum();
    }

    /** Sign-ins refused so far because every slot and queue place was taken. */
    public long rejected() {
        return rejected.get();
    }
}
