package dev.sessiond.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Call threads are named for the log and, on Linux, run nicer than the transport's threads. */
class CallThreadsTest {

    @Test
    void callThreads_runNicerThanTheProcess() throws Exception {
        int here = niceHereWithRoomFor(CallThreads.NICER);

        assertRunsNicer(CallThreads.newPool(), "sessiond-call-", here, CallThreads.NICER);
    }

    @Test
    void hashThreads_runNicerStillThanCallThreads() throws Exception {
        int here = niceHereWithRoomFor(CallThreads.HASH_NICER);
        assertThat(CallThreads.HASH_NICER).isGreaterThan(CallThreads.NICER);

        assertRunsNicer(CallThreads.newHashPool(), "sessiond-hash-", here, CallThreads.HASH_NICER);
    }

    /** {@code pool}'s threads carry {@code prefix} and run {@code nicer} steps nicer than {@code here}; shuts it down. */
    private static void assertRunsNicer(ExecutorService pool, String prefix, int here, int nicer) throws Exception {
        try {
            String name = pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            OptionalInt there = pool.submit(CallThreads::niceOfThisThread).get(10, TimeUnit.SECONDS);

            assertThat(name).startsWith(prefix);
            assertThat(there).hasValue(here + nicer);
            assertThat(CallThreads.niceOfThisThread()).as("the caller's own thread is unchanged").hasValue(here);
        } finally {
            pool.shutdownNow();
        }
    }

    /** This thread's nice value, when Linux lets the test lower a thread's priority by {@code nicer} steps. */
    private static int niceHereWithRoomFor(int nicer) {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux only: no /proc/thread-self here");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "renice (util-linux) is not installed");
        int here = CallThreads.niceOfThisThread().orElseThrow();
        assumeTrue(here + nicer <= 19, "this test runs too nice already");
        return here;
    }
}
