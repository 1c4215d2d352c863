package dev.sessiond.server.config;

import dev.sessiond.server.auth.HashingLimits;
import dev.sessiond.server.auth.ThrottlePolicy;
import dev.sessiond.server.license.LicensePolicy;
import dev.sessiond.server.session.ClientKinds;
import dev.sessiond.server.session.ReaperSettings;
import dev.sessiond.server.session.SessionPolicy;
import dev.sessiond.server.transport.TransportSettings;
import dev.sessiond.server.transport.TransportSettings.TlsFiles;
import java.nio.file.Files;
import dev.sessiond.server.user.LicenseType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link Config} from environment variables and command-line flags; a flag wins over
 * its variable. Every bad value becomes a {@link ConfigException} naming the variable.
 */
public final class ConfigLoader {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(KiB|MiB)?", Pattern.CASE_INSENSITIVE);
    private static final Duration MAX_ACTIVITY_WRITE_INTERVAL = Duration.ofSeconds(30);
    private static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(1);
    /** grpc-java never pings more often than this, whatever it is told. */
    private static final Duration MIN_KEEPALIVE_TIME = Duration.ofSeconds(10);
    private static final Set<String> LOG_LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private final Map<Setting, String> values;
    /** Per-domain LDAP variables ({@code SESSIOND_LDAP_<DOMAIN>_*}) and flags ({@code --ldap-<domain>-*}). */
    private final Map<String, String> domainVariables;
    private final Map<String, String> domainFlags;

    private ConfigLoader(Map<Setting, String> values, Map<String, String> domainVariables, Map<String, String> domainFlags) {
        this.values = values;
        this.domainVariables = domainVariables;
        this.domainFlags = domainFlags;
    }

    /**
     * @param env the environment, usually {@link System#getenv()}
     * @param args the command-line flags, {@code --name value} or {@code --name=value}
     */
    public static Config load(Map<String, String> env, String... args) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String value = env.get(setting.variable());
            if (value != null) {
                values.put(setting, value);
            }
        }
        Map<String, String> domainVariables = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(DomainSettingsReader.VARIABLE_PREFIX) && !name.equals(Setting.LDAP_DOMAINS.variable())) {
                domainVariables.put(name, value);
            }
        });
        Map<String, String> domainFlags = new LinkedHashMap<>();
        readFlags(args, values, domainFlags);
        return new ConfigLoader(values, domainVariables, domainFlags).build();
    }

    private static void readFlags(String[] args, Map<Setting, String> values, Map<String, String> domainFlags) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Optional<Setting> setting = bySetting(name);
            if (setting.isEmpty() && !name.startsWith(DomainSettingsReader.FLAG_PREFIX)) {
                throw new ConfigException(name, "unknown flag (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new ConfigException(setting.map(Setting::variable).orElse(name),
                            "flag " + name + " needs a value");
                }
                value = args[++i];
            }
            if (setting.isPresent()) {
                values.put(setting.get(), value);
            } else {
                // --ldap-<domain>-<setting>: resolved once the domains are known.
                domainFlags.put(name, value);
            }
        }
    }

    private static Optional<Setting> bySetting(String flag) {
        return Arrays.stream(Setting.values())
                .filter(s -> s.flag().equals(flag))
                .findFirst();
    }

    private Config build() {
        Path dataDir = path(Setting.DATA_DIR, "./data");
        String dbUrl = text(Setting.DB_URL, "jdbc:h2:file:" + dataDir.resolve("sessiond"));
        if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(Setting.DB_URL.variable(),
                    "'" + dbUrl + "' is not supported (expected: jdbc:h2:... or jdbc:postgresql://...)");
        }
        var database = new Config.DatabaseConfig(
                dbUrl, text(Setting.DB_USER, ""), text(Setting.DB_PASSWORD, ""),
                integer(Setting.DB_POOL_SIZE, 10, 1, 1000));

        Duration idle = duration(Setting.SESSION_IDLE_TIMEOUT, Duration.ofMinutes(30));
        Duration desktopIdle = duration(Setting.DESKTOP_IDLE_TIMEOUT, idle);
        Duration lifetime = duration(Setting.SESSION_MAX_LIFETIME, Duration.ofDays(7));
        Duration shortestIdle = idle.compareTo(desktopIdle) <= 0 ? idle : desktopIdle;
        Duration bound = shortestIdle.dividedBy(10);
        Duration defaultInterval = bound.compareTo(MAX_ACTIVITY_WRITE_INTERVAL) < 0 ? bound : MAX_ACTIVITY_WRITE_INTERVAL;
        Duration writeInterval = duration(Setting.ACTIVITY_WRITE_INTERVAL, defaultInterval);
        if (writeInterval.compareTo(bound) > 0) {
            throw new ConfigException(Setting.ACTIVITY_WRITE_INTERVAL.variable(),
                    writeInterval + " (expected: <= shortest idle timeout / 10 = " + bound + ")");
        }

        int grpcPort = integer(Setting.GRPC_PORT, 50051, 0, 65535);
        int metricsPort = integer(Setting.METRICS_PORT, 9464, 0, 65535);
        if (metricsPort != 0 && metricsPort == grpcPort) {
            throw new ConfigException(Setting.METRICS_PORT.variable(),
                    metricsPort + " (expected: another port than SESSIOND_GRPC_PORT)");
        }

        return new Config(
                grpcPort,
                dataDir,
                database,
                name(Setting.SERVER_CODE, "sessiond"),
                name(Setting.INSTANCE_NAME, "default"),
                path(Setting.TOKEN_KEY_FILE, dataDir.resolve("token-keys").toString()),
                name(Setting.ADMIN_LOGIN, "admin"),
                Optional.ofNullable(values.get(Setting.ADMIN_PASSWORD)).filter(p -> !p.isEmpty()),
                new SessionPolicy(idle, desktopIdle, lifetime, writeInterval, cacheTtl()),
                new ClientKinds(
                        list(Setting.DESKTOP_APPLICATIONS, "desktop-client,admin-console,cli"),
                        list(Setting.WEB_APPLICATIONS, "web-client,web-api")),
                licenseType(Setting.DEFAULT_LICENSE_TYPE),
                duration(Setting.SHUTDOWN_GRACE, Duration.ofSeconds(10)),
                logLevel(Setting.LOG_LEVEL),
                new LicensePolicy(
                        optionalInteger(Setting.CONCURRENT_LICENSES, 0, 10_000_000),
                        optionalDuration(Setting.LICENSE_RECLAIM_IDLE),
                        optionalInteger(Setting.MAX_SESSIONS_PER_USER, 1, 1_000_000),
                        limitPolicy(Setting.SESSION_LIMIT_POLICY)),
                new ThrottlePolicy(
                        integer(Setting.LOGIN_MAX_FAILURES, 5, 1, 1000),
                        duration(Setting.LOGIN_LOCKOUT, Duration.ofMinutes(15))),
                new ReaperSettings(
                        duration(Setting.REAPER_INTERVAL, Duration.ofMinutes(1)),
                        integer(Setting.REAPER_BATCH_SIZE, 500, 1, 100_000)),
                new DomainSettingsReader(values, domainVariables, domainFlags).read(),
                metricsPort,
                zeroOrDuration(Setting.METRICS_STORE_MAX_AGE, Duration.ofSeconds(5), Duration.ofMinutes(5)),
                oneOf(Setting.LOG_FORMAT, "text", Set.of("text", "json")),
                transport(),
                new HashingLimits(
                        integer(Setting.PASSWORD_HASH_CONCURRENCY, Runtime.getRuntime().availableProcessors(), 1, 1024),
                        integer(Setting.PASSWORD_HASH_QUEUE, 512, 0, 100_000),
                        duration(Setting.PASSWORD_HASH_MAX_WAIT, Duration.ofSeconds(1))));
    }

    private TransportSettings transport() {
        TransportSettings d = TransportSettings.DEFAULTS;
        return new TransportSettings(
                tls(),
                size(Setting.MAX_MESSAGE_SIZE, d.maxMessageBytes()),
                size(Setting.MAX_METADATA_SIZE, d.maxMetadataBytes()),
                integer(Setting.MAX_CALLS_PER_CONNECTION, d.maxConcurrentCallsPerConnection(), 1, 100_000),
                atLeast(Setting.KEEPALIVE_TIME, duration(Setting.KEEPALIVE_TIME, d.keepAliveTime()), MIN_KEEPALIVE_TIME),
                duration(Setting.KEEPALIVE_TIMEOUT, d.keepAliveTimeout()),
                duration(Setting.PERMIT_KEEPALIVE_TIME, d.permitKeepAliveTime()),
                optionalDuration(Setting.MAX_CONNECTION_IDLE),
                optionalDuration(Setting.MAX_CONNECTION_AGE),
                integer(Setting.MAX_RST_FRAMES, d.maxRstFrames(), 0, 1_000_000),
                duration(Setting.RST_FRAMES_WINDOW, d.rstFramesWindow()));
    }

    /** TLS needs a certificate and its key; a client CA only makes sense with them. The files must be readable. */
    private Optional<TlsFiles> tls() {
        Optional<Path> cert = optionalFile(Setting.TLS_CERT);
        Optional<Path> key = optionalFile(Setting.TLS_KEY);
        Optional<Path> clientCa = optionalFile(Setting.TLS_CLIENT_CA);
        if (cert.isPresent() != key.isPresent()) {
            Setting missing = cert.isPresent() ? Setting.TLS_KEY : Setting.TLS_CERT;
            throw new ConfigException(missing.variable(), "missing (expected: both SESSIOND_TLS_CERT and "
                    + "SESSIOND_TLS_KEY, or neither for plaintext)");
        }
        if (clientCa.isPresent() && cert.isEmpty()) {
            throw new ConfigException(Setting.TLS_CLIENT_CA.variable(),
                    "set without SESSIOND_TLS_CERT and SESSIOND_TLS_KEY (expected: mutual TLS needs TLS)");
        }
        return cert.map(c -> new TlsFiles(c, key.orElseThrow(), clientCa));
    }

    private Optional<Path> optionalFile(Setting setting) {
        String value = values.get(setting);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path file = path(setting, value);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(setting.variable(), "'" + value + "' is not a readable file");
        }
        return Optional.of(file);
    }

    /** A size in bytes: {@code 65536}, {@code 64KiB} or {@code 1MiB}; between 1 KiB and 64 MiB. */
    private int size(Setting setting, int fallback) {
        String value = values.get(setting);
        if (value == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(value.strip());
        long bytes = -1;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            bytes = switch (unit) {
                case "kib" -> n * 1024;
                case "mib" -> n * 1024 * 1024;
                default -> n;
            };
        }
        if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
            throw new ConfigException(setting.variable(),
                    "'" + value + "' (expected: a size from 1KiB to 64MiB, such as 65536, 64KiB or 1MiB)");
        }
        return (int) bytes;
    }

    private String oneOf(Setting setting, String fallback, Set<String> allowed) {
        String value = text(setting, fallback).strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new ConfigException(setting.variable(),
                    "'" + text(setting, "") + "' (expected: " + String.join(" or ", allowed.stream().sorted().toList()) + ")");
        }
        return value;
    }

    private static Duration atLeast(Setting setting, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            throw new ConfigException(setting.variable(), value + " (expected: at least " + min + ")");
        }
        return value;
    }

    /**
     * 0 turns the cache off. Changes made through sessiond (on any server) evict cached entries
     * at once, so the ttl only bounds memory and how long a change made directly in the
     * database stays unseen: at most an hour.
     */
    private Duration cacheTtl() {
        return zeroOrDuration(Setting.SESSION_CACHE_TTL, DEFAULT_CACHE_TTL, Duration.ofHours(1));
    }

    /** {@code 0}, or a positive duration up to {@code max} (written as in the message, e.g. {@code 1h}). */
    private Duration zeroOrDuration(Setting setting, Duration fallback, Duration max) {
        String value = values.get(setting);
        if (value != null && value.strip().equals("0")) {
            return Duration.ZERO;
        }
        Duration parsed = duration(setting, fallback);
        if (parsed.compareTo(max) > 0) {
            throw new ConfigException(setting.variable(), parsed + " (expected: 0 or at most " + shortForm(max) + ")");
        }
        return parsed;
    }

    /** {@code 1h}, {@code 5m}, {@code 30s} for whole hours, minutes or seconds; ISO-8601 otherwise. */
    private static String shortForm(Duration d) {
        if (d.toSeconds() % 3600 == 0 && d.toNanosPart() == 0) {
            return d.toHours() + "h";
        }
        if (d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
            return d.toMinutes() + "m";
        }
        return d.toNanosPart() == 0 ? d.toSeconds() + "s" : d.toString();
    }

    private Optional<Integer> optionalInteger(Setting setting, int min, int max) {
        String value = values.get(setting);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(integer(setting, 0, min, max));
    }

    private Optional<Duration> optionalDuration(Setting setting) {
        String value = values.get(setting);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(duration(setting, Duration.ZERO));
    }

    private LicensePolicy.SessionLimitPolicy limitPolicy(Setting setting) {
        String value = text(setting, "deny_new").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "deny_new" -> LicensePolicy.SessionLimitPolicy.DENY_NEW;
            case "close_oldest" -> LicensePolicy.SessionLimitPolicy.CLOSE_OLDEST;
            default -> throw new ConfigException(setting.variable(),
                    "'" + value + "' (expected: deny_new or close_oldest)");
        };
    }

    private String text(Setting setting, String fallback) {
        return values.getOrDefault(setting, fallback);
    }

    private String name(Setting setting, String fallback) {
        String value = text(setting, fallback).strip();
        if (value.isEmpty() || value.length() > 128 || value.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(setting.variable(),
                    "'" + value + "' (expected: 1 to 128 printable characters)");
        }
        return value;
    }

    private Path path(Setting setting, String fallback) {
        String value = text(setting, fallback);
        try {
            if (value.isBlank()) {
                throw new InvalidPathException(value, "empty");
            }
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(setting.variable(), "'" + value + "' is not a usable path");
        }
    }

    private int integer(Setting setting, int fallback, int min, int max) {
        String value = values.get(setting);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(setting.variable(),
                    "'" + value + "' (expected: an integer from " + min + " to " + max + ")");
        }
    }

    private Duration duration(Setting setting, Duration fallback) {
        String value = values.get(setting);
        if (value == null) {
            return fallback;
        }
        Duration parsed = parseDuration(value.strip());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw new ConfigException(setting.variable(),
                    "'" + value + "' (expected: a positive duration such as 500ms, 45s, 30m, 8h, 7d or PT30M)");
        }
        return parsed;
    }

    /** Parses {@code 500ms}, {@code 45s}, {@code 30m}, {@code 8h}, {@code 7d} or ISO-8601; {@code null} if neither. */
    static Duration parseDuration(String value) {
        Matcher m = SHORT_DURATION.matcher(value);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private Set<String> list(Setting setting, String fallback) {
        Set<String> ids = new LinkedHashSet<>();
        for (String part : text(setting, fallback).split(",")) {
            String id = part.strip();
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return Set.copyOf(ids);
    }

    private String logLevel(Setting setting) {
        String value = text(setting, "INFO").strip().toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(value)) {
            throw new ConfigException(setting.variable(),
                    "'" + text(setting, "") + "' (expected: ERROR, WARN, INFO, DEBUG or TRACE)");
        }
        return value;
    }

    private LicenseType licenseType(Setting setting) {
        String value = text(setting, "personal").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "personal" -> LicenseType.PERSONAL;
            case "concurrent" -> LicenseType.CONCURRENT;
            default -> throw new ConfigException(setting.variable(),
                    "'" + value + "' (expected: personal or concurrent)");
        };
    }
}
