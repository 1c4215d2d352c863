package dev.sessiond.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A process that ran to its end: its exit code, what it printed, and how long it took.
 *
 * @param command what was run, for failure messages
 */
record CompletedProcess(List<String> command, int exitCode, String stdout, String stderr, Duration took) {

    CompletedProcess {
        command = List.copyOf(command);
    }

    /**
     * Runs {@code builder} to its end. A process still running after {@code timeout} is killed
     * and fails the test: a hung tool must not hang the build.
     */
    static CompletedProcess run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = builder.start();
        // Nothing is ever typed in: a tool that waits for input sees end-of-file instead of hanging.
        process.getOutputStream().close();
        // Both pipes are drained while the process runs, so a chatty process cannot block on a full pipe.
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        boolean finished = process.waitFor(timeout.toMillis(), MILLISECONDS);
        if (!finished) {
            // npm's buf is a node wrapper around the real binary: kill the whole tree, not just the wrapper.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, SECONDS);
        }
        CompletedProcess completed = new CompletedProcess(builder.command(), finished ? process.exitValue() : -1,
                collect(stdout), collect(stderr), Duration.ofNanos(System.nanoTime() - start));
        if (!finished) {
            throw new AssertionError("did not finish within " + timeout + ", killed it: " + completed.describe());
        }
        return completed;
    }

    /** Everything known about the run, for assertion messages. */
    String describe() {
        return String.join(" ", command) + "\n  exit code: " + exitCode + " after " + took.toMillis() + " ms"
                + "\n  stdout: " + stdout + "\n  stderr: " + stderr;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    private static String collect(CompletableFuture<String> text) throws InterruptedException {
        try {
            return text.get(10, SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // A grandchild may still hold the pipe open; the output is then incomplete, not lost entirely.
            return "<output unavailable: " + e + ">";
        }
    }
}
