package dev.sessiond.server;

import dev.sessiond.server.auth.PasswordHasher;
import dev.sessiond.server.config.Config;
import dev.sessiond.server.config.ConfigException;
import dev.sessiond.server.config.ConfigLoader;
import dev.sessiond.server.config.DomainSetting;
import dev.sessiond.server.config.Setting;
import dev.sessiond.server.transport.NettyTransport;
import io.grpc.ServerBuilder;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line: {@code java -jar sessiond-server.jar [--flag value]...}. */
public final class Main {

    /** Logback's system property naming its configuration (a class-path resource here). */
    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
    /** Netty's system property for its buffer leak detection: off in the server unless set (tests keep it on). */
    private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private Main() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (Arrays.asList(args).contains("--help")) {
            out.print(help());
            return;
        }
        if (Arrays.asList(args).contains("--version")) {
            out.println("sessiond " + version());
            return;
        }
        Config config;
        try {
            config = ConfigLoader.load(System.getenv(), args);
        } catch (ConfigException e) {
            System.err.println("sessiond: " + e.getMessage());
            System.exit(2);
            return;
        }
        // logback.xml reads ${SESSIOND_LOG_LEVEL}, preferring a system property to the environment: this hands
        // it the checked value, from the flag or the variable. It must precede the first logger, which
        // initialises logback.
        System.setProperty(Setting.LOG_LEVEL.variable(), config.logLevel());
        if (config.logFormat().equals("json") && System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, "logback-json.xml");
        }
        if (System.getProperty(LEAK_DETECTION) == null) {
            // Netty tracks one buffer in 128 for leaks, with a stack trace each: 9 % of what a validate call allocated.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        ServerBuilder<?> transport;
        try {
            // TLS files are read here, before anything starts, so that a bad one is a bad setting (exit 2)
            transport = NettyTransport.serverBuilder(config.grpcPort(), config.transport());
        } catch (ConfigException e) {
            System.err.println("sessiond: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("starting sessiond {} with {}", version(), config);
        SessiondServer server;
        try {
            server = new SessiondServer(config, transport, Clock.systemUTC(), PasswordHasher.Cost.OWASP, System.err)
                    .start();
        } catch (IOException | RuntimeException e) {
            log.error("sessiond could not start: {}", e.toString());
            System.err.println("sessiond: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sessiond-shutdown"));
        server.awaitTermination();
    }

    static String help() {
        StringBuilder out = new StringBuilder();
        out.append("sessiond ").append(version()).append(" - a gRPC session service\n\n")
                .append("Usage: java -jar sessiond-server.jar [--flag value]...\n\n")
                .append("Every flag has an environment variable; the flag wins.\n\n");
        for (Setting s : Setting.values()) {
            out.append(String.format("  %-28s %-32s %s (default: %s)%n",
                    s.flag(), s.variable(), s.description(), s.defaultText()));
        }
        out.append(String.format("%nFor each domain listed in --ldap-domains (<domain>: its name in lower case; <DOMAIN>: "
                + "in upper case, with '-' written as '_'):%n"));
        for (DomainSetting s : DomainSetting.values()) {
            out.append(String.format("  %-38s %-40s %s (default: %s)%n",
                    s.genericFlag(), s.genericVariable(), s.description(), s.defaultText()));
        }
        out.append(String.format("%n  %-28s %-32s %s%n", "--help", "", "print this help"));
        out.append(String.format("  %-28s %-32s %s%n", "--version", "", "print the version"));
        return out.toString();
    }

    static String version() {
        return SessiondServer.version();
    }
}
