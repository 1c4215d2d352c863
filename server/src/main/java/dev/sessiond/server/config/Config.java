package dev.sessiond.server.config;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.auth.HashingLimits;
import dev.sessiond.server.auth.ThrottlePolicy;
import dev.sessiond.server.license.LicensePolicy;
import dev.sessiond.server.auth.domain.DomainSignInConfig;
import dev.sessiond.server.session.ClientKinds;
import dev.sessiond.server.session.ReaperSettings;
import dev.sessiond.server.session.SessionPolicy;
import dev.sessiond.server.transport.TransportSettings;
import dev.sessiond.server.user.LicenseType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's settings, read once at start by {@link ConfigLoader}. Immutable.
 *
 * @param grpcPort the gRPC listening port; 0 picks a free one
 * @param dataDir the data directory (H2 files, generated token key)
 * @param database how to reach the store
 * @param serverCode the deployment's server code, signed into every token
 * @param instanceName the deployment's instance name, signed into every token
 * @param tokenKeyFile the file holding the token signing keys
 * @param adminLogin the login of the administrator created on first start
 * @param adminPassword that administrator's password; empty = generate and print one
 * @param sessionPolicy timeouts and the activity write interval
 * @param clientKinds which application ids are desktop and web clients
 * @param defaultLicenseType the licence type of users created without one
 * @param shutdownGrace how long in-flight calls may run after a shutdown request
 * @param licensePolicy seat pool and per-user session limits
 * @param throttlePolicy login throttling
 * @param reaper how the expired-session reaper runs
 * @param logLevel the root log level: ERROR, WARN, INFO, DEBUG or TRACE
 * @param domainSignIn directory domains (LDAP) and Windows (Kerberos) sign-in
 * @param metricsPort the HTTP port of /metrics, /healthz and /readyz; 0 picks a free one
 * @param metricsStoreMaxAge how old the store's reading behind the /metrics gauges may be; 0 = read at every scrape
 * @param logFormat {@code text} or {@code json}
 * @param transport TLS and the limits of the gRPC port
 * @param hashing bounds on concurrent password hashing
 */
public record Config(
        int grpcPort,
        Path dataDir,
        DatabaseConfig database,
        String serverCode,
        String instanceName,
        Path tokenKeyFile,
        String adminLogin,
        Optional<String> adminPassword,
        SessionPolicy sessionPolicy,
        ClientKinds clientKinds,
        LicenseType defaultLicenseType,
        Duration shutdownGrace,
        String logLevel,
        LicensePolicy licensePolicy,
        ThrottlePolicy throttlePolicy,
        ReaperSettings reaper,
        DomainSignInConfig domainSignIn,
        int metricsPort,
        Duration metricsStoreMaxAge,
        String logFormat,
        TransportSettings transport,
        HashingLimits hashing) {

    public Config {
        requireNonNull(dataDir, "dataDir");
        requireNonNull(database, "database");
        requireNonNull(serverCode, "serverCode");
        requireNonNull(instanceName, "instanceName");
        requireNonNull(tokenKeyFile, "tokenKeyFile");
        requireNonNull(adminLogin, "adminLogin");
        requireNonNull(adminPassword, "adminPassword");
        requireNonNull(sessionPolicy, "sessionPolicy");
        requireNonNull(clientKinds, "clientKinds");
        requireNonNull(defaultLicenseType, "defaultLicenseType");
        requireNonNull(shutdownGrace, "shutdownGrace");
        requireNonNull(metricsStoreMaxAge, "metricsStoreMaxAge");
        requireNonNull(licensePolicy, "licensePolicy");
        requireNonNull(throttlePolicy, "throttlePolicy");
        requireNonNull(reaper, "reaper");
        requireNonNull(logLevel, "logLevel");
        requireNonNull(domainSignIn, "domainSignIn");
        requireNonNull(logFormat, "logFormat");
        requireNonNull(transport, "transport");
        requireNonNull(hashing, "hashing");
    }

    /**
     * How to reach the store.
     *
     * @param url a JDBC URL: {@code jdbc:h2:...} or {@code jdbc:postgresql://...}
     * @param user the database user
     * @param password the database password (never logged)
     * @param poolSize the maximum number of pooled connections
     */
    public record DatabaseConfig(String url, String user, String password, int poolSize) {
        public DatabaseConfig {
            requireNonNull(url, "url");
            requireNonNull(user, "user");
            requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            // A password may also be written into the URL (?password=...); never print it.
            String safeUrl = url.replaceAll("(?i)(password=)[^&;]*", "$1***");
            return "DatabaseConfig[url=" + safeUrl + ", user=" + user + ", poolSize=" + poolSize + "]";
        }
    }

    @Override
    public String toString() {
        return "Config[grpcPort=" + grpcPort + ", dataDir=" + dataDir + ", database=" + database
                + ", serverCode=" + serverCode + ", instanceName=" + instanceName
                + ", tokenKeyFile=" + tokenKeyFile + ", adminLogin=" + adminLogin
                + ", sessionPolicy=" + sessionPolicy + ", clientKinds=" + clientKinds
                + ", defaultLicenseType=" + defaultLicenseType + ", shutdownGrace=" + shutdownGrace
                + ", logLevel=" + logLevel + ", licensePolicy=" + licensePolicy
                + ", throttlePolicy=" + throttlePolicy + ", reaper=" + reaper
                + ", domainSignIn=" + domainSignIn
                + ", metricsPort=" + metricsPort + ", metricsStoreMaxAge=" + metricsStoreMaxAge
                + ", logFormat=" + logFormat + ", transport=" + transport
                + ", hashing=" + hashing + "]";
    }
}
