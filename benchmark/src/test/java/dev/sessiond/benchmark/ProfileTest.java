package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile counts CPU-time samples where the recording has them, and execution samples otherwise. */
class ProfileTest {

    @TempDir
    Path dir;

    @Test
    void cpuTimeSamples_areCountedWhenRecorded() throws Exception {
        Path file = record(Map.of(Profile.CPU_TIME_SAMPLE + "#enabled", "true", Profile.CPU_TIME_SAMPLE + "#throttle", "1ms",
                "jdk.ExecutionSample#enabled", "true", "jdk.ExecutionSample#period", "10ms"));
        assumeTrue(count(file, Profile.CPU_TIME_SAMPLE) > 0, "this JVM records no CPU-time samples (Java 25 on Linux does)");

        Profile profile = Profile.read("cycle", file);

        assertThat(profile.sampleKind()).isEqualTo("CPU-time samples");
        assertThat(profile.samples()).isEqualTo(count(file, Profile.CPU_TIME_SAMPLE));
        assertThat(profile.threads()).extracting(Profile.Share::name).contains("sessiond-call");
        assertThat(profile.sessiondFrames()).extracting(Profile.Share::name)
                .contains("dev.sessiond.benchmark.ProfileTest.spin");
    }

    @Test
    void executionSamples_areTheFallback() throws Exception {
        Path file = record(Map.of("jdk.ExecutionSample#enabled", "true", "jdk.ExecutionSample#period", "10ms"));

        Profile profile = Profile.read("cycle", file);

        assertThat(profile.sampleKind()).isEqualTo("execution samples");
        assertThat(profile.samples()).isPositive().isEqualTo(count(file, "jdk.ExecutionSample"));
        assertThat(profile.threads()).extracting(Profile.Share::name).contains("sessiond-call");
    }

    /** Records {@code settings} while a thread named like a call thread spins for 300 ms. */
    private Path record(Map<String, String> settings) throws Exception {
        Path file = dir.resolve("profile-" + settings.size() + ".jfr");
        try (Recording recording = new Recording()) {
            recording.setSettings(settings);
            recording.start();
            Thread call = new Thread(() -> spin(Duration.ofMillis(300)), "sessiond-call-7");
            call.start();
            call.join();
            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    private static void spin(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static int count(Path file, String type) throws Exception {
        return (int) RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(type))
                .filter(e -> e.getStackTrace() != null && !e.getStackTrace().getFrames().isEmpty())
                .count();
    }
}
