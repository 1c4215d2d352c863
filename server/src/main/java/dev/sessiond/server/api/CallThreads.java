package dev.sessiond.server.api;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of calls that may wait — for the store, or for a password hash — named
 * {@code sessiond-call-N}: a pool that grows with the calls waiting and shrinks after a minute
 * idle, as a default gRPC server's; and the threads that run the password hashes themselves,
 * {@code sessiond-hash-N}, the same kind of pool (the hashing slots bound how many are busy);
 * and one thread, {@code sessiond-cache-refresh-N}, for the store reads the session cache makes
 * ahead of its entries' expiry, so that no validation waits for them.
 *
 * <p>Each call thread, and the refresher, runs {@value #NICER} steps nicer than the process,
 * each hash thread {@value #HASH_NICER} (Linux: {@code renice} on its own thread id, once, when
 * it starts). The cached validations run on the transport's threads at the process's priority,
 * so when the cores are contended — a login flood hashing passwords on every one of them — the
 * validations every other service waits for get most of the CPU, the short store work of the
 * other calls much of the rest, and the hashes, which can wait (a sign-in whose turn would come
 * too late is refused), what is left. With nothing contending, what sign-ins pay for it stayed within the
 * hash's own drift in the runs so far (README "Performance" has the figures). Where the OS
 * priority cannot be changed (no {@code renice}, not Linux), the threads run at the process's,
 * and the server says so once in its log.
 */
public final class CallThreads {

    /** How much nicer than the process a call thread runs. */
    static final int NICER = 4;
    /** How much nicer than the process a password hash runs. */
    static final int HASH_NICER = 10;

    private static final Logger log = LoggerFactory.getLogger(CallThreads.class);
    private static final Path SELF = Path.of("/proc/thread-self");
    private static final AtomicBoolean lowering = new AtomicBoolean(Files.isSymbolicLink(SELF));

    private CallThreads() {}

    /** A new pool of call threads; shut it down after the server. */
    public static ExecutorService newPool() {
        return nicerPool("sessiond-call-", NICER);
    }

    /** A new pool of threads for password hashes ({@code HashingSlots} runs each hash on one); shut it down after the server. */
    public static ExecutorService newHashPool() {
        return nicerPool("sessiond-hash-", HASH_NICER);
    }

    /**
     * A new thread, {@code sessiond-cache-refresh-N}, that re-reads cached sessions ahead of their
     * expiry ({@code SessionCache}): store work taken off the calls, so as nice as a call thread.
     * One thread, ended after a minute idle; shut it down after the server.
     */
    public static ExecutorService newCacheRefresher() {
        ThreadPoolExecutor refresher = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                nicerThreads("sessiond-cache-refresh-", NICER));
        refresher.allowCoreThreadTimeOut(true);
        return refresher;
    }

    private static ExecutorService nicerPool(String namePrefix, int nicer) {
        return Executors.newCachedThreadPool(nicerThreads(namePrefix, nicer));
    }

    private static ThreadFactory nicerThreads(String namePrefix, int nicer) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread t = new Thread(() -> {
                lowerOwnPriority(nicer);
                task.run();
            }, namePrefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The current thread's nice value (Linux), or empty where it cannot be read. */
    static OptionalInt niceOfThisThread() {
        try {
            String stat = Files.readString(SELF.resolve("stat"));
            // Fields after the command name, which is in parentheses and may hold spaces; nice is field 19 of the line.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(fields[16]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private static void lowerOwnPriority(int nicer) {
        if (!lowering.get()) {
            return;
        }
        try {
            String self = Files.readSymbolicLink(SELF).toString(); // <pid>/task/<tid>
            String tid = self.substring(self.lastIndexOf('/') + 1);
            int nice = Math.min(19, niceOfThisThread().orElseThrow(() -> new IOException("no nice value in "
                    + SELF.resolve("stat"))) + nicer);
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.DISCARD)
                    .start();
            if (!renice.waitFor(5, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                throw new IOException("renice did not finish within 5 s");
            }
            if (renice.exitValue() != 0) {
                throw new IOException("renice exited with " + renice.exitValue());
            }
        } catch (IOException | RuntimeException e) {
            if (lowering.getAndSet(false)) {
                log.info("call and hash threads run at the process's priority: lowering it failed ({}); under a "
                        + "login flood validation keeps less of the CPU", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
