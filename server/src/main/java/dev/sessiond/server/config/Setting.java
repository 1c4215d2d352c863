package dev.sessiond.server.config;

import java.util.Locale;

/**
 * Every setting sessiond reads: an environment variable and its equivalent command-line flag
 * ({@code SESSIOND_GRPC_PORT} ↔ {@code --grpc-port}). The README's configuration table and
 * {@code --help} are made from this list and from the per-domain {@link DomainSetting}s.
 */
public enum Setting {
    GRPC_PORT("50051", "gRPC listening port (0 = any free port)"),
    DATA_DIR("./data", "data directory: the H2 store and the generated token key"),
    DB_URL("jdbc:h2:file:<data dir>/sessiond", "JDBC URL of the store (H2 or PostgreSQL)"),
    DB_USER("", "database user"),
    DB_PASSWORD("", "database password"),
    DB_POOL_SIZE("10", "maximum pooled database connections"),
    SERVER_CODE("sessiond", "server code signed into tokens; tokens of another code are refused"),
    INSTANCE_NAME("default", "instance name signed into tokens; replicas of one deployment share it"),
    TOKEN_KEY_FILE("<data dir>/token-keys", "token signing keys; created with a random key when missing"),
    ADMIN_LOGIN("admin", "login of the administrator created on first start"),
    ADMIN_PASSWORD("(generated, printed once to stderr)", "password of that administrator"),
    SESSION_IDLE_TIMEOUT("30m", "a session expires after this long without activity"),
    DESKTOP_IDLE_TIMEOUT("(SESSION_IDLE_TIMEOUT)", "idle timeout of desktop-client sessions"),
    SESSION_MAX_LIFETIME("7d", "a session expires this long after it was opened, however busy"),
    ACTIVITY_WRITE_INTERVAL("(shortest idle timeout / 10, at most 30s)",
            "validation writes a session's last activity at most once per interval"),
    SESSION_CACHE_TTL("1m",
            "how long validation may reuse a session it read (0 = off); changes made through sessiond evict it at once"),
    DESKTOP_APPLICATIONS("desktop-client,admin-console,cli", "application ids of desktop clients"),
    WEB_APPLICATIONS("web-client,web-api", "application ids of web clients"),
    DEFAULT_LICENSE_TYPE("personal", "licence type of users created without one: personal or concurrent"),
    SHUTDOWN_GRACE("10s", "how long in-flight calls may finish after SIGTERM"),
    LOG_LEVEL("INFO", "log level: ERROR, WARN, INFO, DEBUG or TRACE"),
    CONCURRENT_LICENSES("(unlimited)", "seats in the concurrent licence pool"),
    LICENSE_RECLAIM_IDLE("(unset)",
            "an active concurrent session idle this long may be named for deactivation to free a seat for others"),
    MAX_SESSIONS_PER_USER("(unlimited)", "the most open sessions one user may have"),
    SESSION_LIMIT_POLICY("deny_new", "opening one session too many: deny_new or close_oldest"),
    LOGIN_MAX_FAILURES("5", "failed logins in a row after which a login is throttled"),
    LOGIN_LOCKOUT("15m", "how long a throttled login is refused"),
    REAPER_INTERVAL("1m", "pause between two runs of the expired-session reaper"),
    REAPER_BATCH_SIZE("500", "expired sessions deleted per reaper transaction"),
    LDAP_DOMAINS("", "directory domains users may sign in with, e.g. CORP,EU; each is set up by the "
            + "SESSIOND_LDAP_<DOMAIN>_* settings"),
    KERBEROS_KEYTAB("", "keytab with the service principal's keys; turns on Windows (Kerberos/SPNEGO) sign-in"),
    KERBEROS_PRINCIPAL("", "the service principal in the keytab, with its realm, e.g. "
            + "HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM"),
    KERBEROS_REALMS("(the service principal's realm = its first label)",
            "realms whose users may sign in, each with its domain: CORP.EXAMPLE.COM=CORP,EU.EXAMPLE.COM=EU"),
    METRICS_PORT("9464", "HTTP port of /metrics (Prometheus), /healthz and /readyz (0 = any free port)"),
    METRICS_STORE_MAX_AGE("5s", "the gauges /metrics reads from the store (active sessions, seats, configuration "
            + "version) are read at most this often; scrapes in between share the last reading (0 = every scrape)"),
    LOG_FORMAT("text", "log format: text (one line per event) or json (one JSON object per line)"),
    TLS_CERT("(unset: plaintext)", "PEM certificate chain of the gRPC port; with TLS_KEY, turns on TLS"),
    TLS_KEY("(unset)", "PEM private key (unencrypted PKCS#8) of that certificate"),
    TLS_CLIENT_CA("(unset)", "PEM CA certificates; when set, clients must present a certificate they issued (mutual TLS)"),
    MAX_MESSAGE_SIZE("64KiB", "largest request message accepted (bytes, KiB or MiB)"),
    MAX_METADATA_SIZE("8KiB", "most request metadata (headers) accepted per call"),
    MAX_CALLS_PER_CONNECTION("100", "calls one client connection may run at once (HTTP/2 MAX_CONCURRENT_STREAMS)"),
    KEEPALIVE_TIME("5m", "the server pings a client whose connection was silent this long (at least 10s)"),
    KEEPALIVE_TIMEOUT("20s", "a connection whose client does not answer a ping within this is closed"),
    PERMIT_KEEPALIVE_TIME("1m", "clients that ping more often than this are disconnected (GOAWAY too_many_pings)"),
    MAX_CONNECTION_IDLE("(unset: never)", "a connection without calls for this long is closed gracefully"),
    MAX_CONNECTION_AGE("(unset: never)", "a connection is closed gracefully after this long, so clients spread over replicas"),
    MAX_RST_FRAMES("200", "HTTP/2 rapid-reset protection: a client resetting more streams than this per window is disconnected (0 = off)"),
    RST_FRAMES_WINDOW("30s", "the window of MAX_RST_FRAMES"),
    PASSWORD_HASH_CONCURRENCY("(number of processors)", "password hashes computed at once (each Argon2id hash takes 19 MiB)"),
    PASSWORD_HASH_QUEUE("512", "sign-ins that may wait for a hashing slot; more are refused at once (RESOURCE_EXHAUSTED)"),
    PASSWORD_HASH_MAX_WAIT("1s", "a sign-in waits for a hashing slot only if its turn is expected within this"
            + " (at the pace of recent hashes); otherwise it is refused at once (RESOURCE_EXHAUSTED)");

    private final String defaultText;
    private final String description;

    Setting(String defaultText, String description) {
        this.defaultText = defaultText;
        this.description = description;
    }

    /** The environment variable, e.g. {@code SESSIOND_GRPC_PORT}. */
    public String variable() {
        return "SESSIOND_" + name();
    }

    /** The command-line flag, e.g. {@code --grpc-port}. */
    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }
}
