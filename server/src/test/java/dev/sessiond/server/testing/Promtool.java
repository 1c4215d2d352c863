package dev.sessiond.server.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' own {@code promtool} (Debian package {@code prometheus}), found on the PATH or at
 * {@code SESSIOND_PROMTOOL}. Missing, the test is skipped with a message — except under CI
 * ({@code CI=true}), where that is a failure ({@code .ci/run} installs it).
 */
public final class Promtool {

    /** What {@code promtool check metrics} said. */
    public record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Runs {@code promtool check metrics} on {@code exposition} (at most 60 s). */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Path promtool = find().orElseGet(() -> {
            String why = "promtool is not installed (apt-get install prometheus, or set SESSIOND_PROMTOOL)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI must check the exposition");
            }
            System.err.println("sessiond tests: " + why + " - the promtool check is SKIPPED.");
            Assumptions.abort(why);
            return null;
        });
        Path input = Files.createTempFile("sessiond-metrics", ".txt");
        try {
            Files.writeString(input, exposition, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(input.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish within 60 s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private static Optional<Path> find() {
        String configured = System.getenv("SESSIOND_PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
