package dev.sessiond.server.store;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executor;

/**
 * Runs calls on the transport's own thread, where nothing may be waited for.
 *
 * <p>A validation answered from the session cache costs a few microseconds; handing it to a
 * worker thread and back costs more than the work (on two cores, a health check went from
 * 23,000 to 130,000 calls/s without that hop). So such calls run inline, on the thread that
 * read them. Whatever waits calls {@link #checkMayWait} first: the store before it takes a
 * connection, a password hash before it takes a hashing slot, the directory before it
 * connects. On the transport's thread that throws {@link WouldWait} instead of blocking, and
 * the caller starts the work again with {@link #runWhereMayWait} on a thread that may wait.
 *
 * <p>What runs here must therefore be safe to start again from the beginning when it first
 * needs to wait: before that it may only read, or do what repeating does not change
 * (remembering the latest use of a session, a hashing place taken and given back). Thread-safe.
 */
public final class NonBlocking implements Executor {

    private static final ThreadLocal<NonBlocking> ACTIVE = new ThreadLocal<>();

    private final Executor blocking;

    /** @param blocking where work that has to wait is handed on to */
    public NonBlocking(Executor blocking) {
        this.blocking = requireNonNull(blocking, "blocking");
    }

    /** Runs {@code task} at once, on this thread, with waiting for the store refused. */
    @Override
    public void execute(Runnable task) {
        NonBlocking outer = ACTIVE.get();
        ACTIVE.set(this);
        try {
            task.run();
        } finally {
            if (outer == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(outer);
            }
        }
    }

    /** Whether the current thread runs a task of {@link #execute}, so must not wait. */
    public static boolean active() {
        return ACTIVE.get() != null;
    }

    /** Call before anything that waits. @throws WouldWait when the current thread must not wait */
    public static void checkMayWait() {
        if (active()) {
            throw WouldWait.INSTANCE;
        }
    }

    /**
     * Runs {@code task} where it may wait: handed to the blocking executor when the current
     * thread must not wait, at once otherwise.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the blocking executor takes no more work
     */
    public static void runWhereMayWait(Runnable task) {
        NonBlocking zone = ACTIVE.get();
        if (zone == null) {
            task.run();
        } else {
            zone.blocking.execute(task);
        }
    }

    /**
     * Something was about to be waited for (the store, mostly) on a thread that must not wait;
     * start the work again with {@link #runWhereMayWait}. Carries no stack trace: it is control
     * flow, thrown on every validation of a session not cached yet and every admitted sign-in.
     */
    public static final class WouldWait extends RuntimeException {
        private static final WouldWait INSTANCE = new WouldWait();

        private WouldWait() {
            super("work that waits was started on a thread that must not wait", null, false, false);
        }
    }
}
