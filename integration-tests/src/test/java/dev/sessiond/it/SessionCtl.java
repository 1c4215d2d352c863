package dev.sessiond.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged {@code sessionctl.jar} run as its own process against a server on the loopback
 * interface, with its login cache in a file of the test's choosing and nothing typed in
 * (passwords come from the environment). Immutable.
 */
final class SessionCtl {

    /** Per run: a cold JVM plus one or a few calls. */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final Path jar;
    private final int port;
    private final Path tokenFile;
    private final Map<String, String> env;

    private SessionCtl(Path jar, int port, Path tokenFile, Map<String, String> env) {
        this.jar = jar;
        this.port = port;
        this.tokenFile = tokenFile;
        this.env = Map.copyOf(env);
    }

    /** A sessionctl for the server on {@code port}, caching its login in {@code tokenFile}. */
    static SessionCtl forServer(int port, Path tokenFile) {
        return new SessionCtl(jar(), port, tokenFile, Map.of());
    }

    /** The same, with more environment variables (e.g. SESSIOND_PASSWORD). */
    SessionCtl withEnv(String name, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(name, value);
        return new SessionCtl(jar, port, tokenFile, more);
    }

    Path tokenFile() {
        return tokenFile;
    }

    CompletedProcess run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("SESSIOND_"));
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.remove("_JAVA_OPTIONS");
        environment.put("SESSIOND_TARGET", "127.0.0.1:" + port);
        environment.put("SESSIOND_TOKEN_FILE", tokenFile.toString());
        environment.putAll(env);
        return CompletedProcess.run(builder, RUN_TIMEOUT);
    }

    /** Runs and expects exit status 0; returns standard output. */
    String ok(String... args) throws IOException, InterruptedException {
        CompletedProcess run = run(args);
        if (run.exitCode() != 0) {
            throw new AssertionError("sessionctl failed: " + run.describe());
        }
        return run.stdout();
    }

    private static Path jar() {
        String configured = System.getProperty("sessiond.sessionctl.jar");
        if (configured == null || !Files.isRegularFile(Path.of(configured))) {
            throw new AssertionError("sessionctl.jar is missing (system property sessiond.sessionctl.jar = "
                    + configured + "); build it and run these tests with: ./mvnw -B verify -pl integration-tests -am");
        }
        return Path.of(configured).toAbsolutePath();
    }

    private static String javaBinary() {
        return System.getProperty("sessiond.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
