package dev.sessiond.client.cli;

import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sessionctl}: the administrator's command line for sessiond, like {@code net session}
 * for a Windows server. It talks to sessiond through the generated gRPC stubs.
 *
 * <p>Exit status: 0 on success, 1 when sessiond refused or could not be reached (the reason is
 * printed on standard error as {@code sessionctl: REASON: message}), 2 for a usage error.
 */
@Command(name = "sessionctl",
        mixinStandardHelpOptions = true,
        versionProvider = SessionCtl.Version.class,
        description = "Administers a sessiond server: sign in, list and end sessions (like net session), manage users.",
        subcommands = {LoginCommand.class, LogoutCommand.class, SessionsCommand.class, UsersCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"",
                "Environment:",
                "  SESSIOND_TARGET        sessiond's address (default 127.0.0.1:50051)",
                "  SESSIOND_TOKEN         a token to use instead of the login cache",
                "  SESSIOND_TOKEN_FILE    the login cache (default ~/.config/sessiond/token)",
                "  SESSIOND_PASSWORD      the password for login",
                "  SESSIOND_NEW_PASSWORD  the password for users create / set-password",
                "Exit status: 0 done, 1 refused or unreachable (reason on stderr), 2 bad usage."})
public final class SessionCtl implements Runnable {

    static final String DEFAULT_TARGET = "127.0.0.1:50051";
    private static final int EXIT_REFUSED = 1;

    @Option(names = "--target", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "sessiond's address (default: $SESSIOND_TARGET, else " + DEFAULT_TARGET + ")")
    String target;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "the login cache (default: $SESSIOND_TOKEN_FILE, else ~/.config/sessiond/token)")
    Path tokenFile;

    @Option(names = "--client-host", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "the client host name sent to sessiond (default: this machine's name)")
    String clientHost;

    @Option(names = "--tls", scope = ScopeType.INHERIT, description = "connect with TLS (trusting the system CAs)")
    boolean tls;

    @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "connect with TLS, trusting the CA certificates in this PEM file")
    Path caFile;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "30",
            description = "deadline of each call (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final InputStream stdin;

    SessionCtl(Map<String, String> env, InputStream stdin) {
        this.env = Map.copyOf(env);
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, System.getenv(), System.in, out, err));
    }

    /** Runs one command line; returns the exit status. */
    static int execute(String[] args, Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new SessionCtl(env, stdin));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException failure) {
                cmd.getErr().println("sessionctl: " + failure.getMessage());
                cmd.getErr().flush();
                return EXIT_REFUSED;
            }
            throw e;
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed (login, logout, sessions, users)");
    }

    Api api() {
        String address = target != null ? target : env.getOrDefault("SESSIOND_TARGET", DEFAULT_TARGET);
        if (address.isBlank()) {
            address = DEFAULT_TARGET;
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout: " + timeoutSeconds + " (expected: >= 1)");
        }
        return new Api(address.strip(), tls, Optional.ofNullable(caFile), Duration.ofSeconds(timeoutSeconds),
                clientHost != null ? clientHost : localHostName());
    }

    TokenFile tokenFile() {
        if (tokenFile != null) {
            return new TokenFile(tokenFile);
        }
        String fromEnv = env.get("SESSIOND_TOKEN_FILE");
        return new TokenFile(fromEnv == null || fromEnv.isBlank() ? TokenFile.defaultPath() : Path.of(fromEnv));
    }

    /** SESSIOND_TOKEN, else the login cache. */
    String token() {
        String fromEnv = env.get("SESSIOND_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        TokenFile file = tokenFile();
        return file.read().orElseThrow(() -> new CliException(
                "not logged in: run 'sessionctl login' (no token in " + file.path() + ") or set SESSIOND_TOKEN"));
    }

    Passwords passwords() {
        return new Passwords(env, stdin);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Runs one RPC; a refusal becomes the one-line reason sessionctl prints. */
    static <T> T call(Api api, Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw new CliException(api.describe(e));
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SessionCtl.class.getPackage().getImplementationVersion();
            return new String[] {"sessionctl " + (version == null ? "(development build)" : version)};
        }
    }
}
