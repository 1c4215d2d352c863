package dev.sessiond.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.session.ClientKind;
import dev.sessiond.server.session.SessionCensus;
import dev.sessiond.server.user.LicenseType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the store: active sessions by licence type and client kind, seats held,
 * their high-water mark and limit, and the configuration version. The store is read for a
 * scrape ({@link #refresh()}), once for all the gauges, and at most once per {@code maxAge}:
 * counting the active sessions reads every open session (0.3–0.8 s of PostgreSQL's time at
 * 1,000,000 of them), and every replica answers for the whole deployment, so several scrapers
 * (a Prometheus pair, a person with curl) need not each pay for it. A scrape that comes while
 * a reading runs waits for it and shares it. While the store is unreachable the gauges keep
 * their last values (and {@code sessiond_store_reachable} says why), and the next scrape tries
 * again. Thread-safe.
 */
public final class StoreGauges {

    static final String SESSIONS_ACTIVE = "sessiond.sessions.active";
    static final String SEATS_USED = "sessiond.license.seats.used";
    static final String SEATS_HIGH_WATER = "sessiond.license.seats.high.water";
    static final String SEATS_LIMIT = "sessiond.license.seats.limit";
    static final String CONFIGURATION_VERSION = "sessiond.configuration.version";

    static final String TAG_LICENSE_TYPE = "license_type";
    static final String TAG_CLIENT_KIND = "client_kind";

    private static final Logger log = LoggerFactory.getLogger(StoreGauges.class);

    private final Supplier<SessionCensus.Counts> census;
    private final long maxAgeMillis;
    private final Clock clock;
    /** When the last successful reading began (epoch ms), or {@link Long#MIN_VALUE} before the first; under this. */
    private long lastReading = Long.MIN_VALUE;
    private final Map<LicenseType, Map<ClientKind, AtomicLong>> active = new EnumMap<>(LicenseType.class);
    private final AtomicLong seatsUsed = new AtomicLong();
    private final AtomicLong seatsHighWater = new AtomicLong();
    private final AtomicLong configurationVersion = new AtomicLong();

    /**
     * @param census reads the counts from the store
     * @param seatLimit the configured number of concurrent seats; empty = unlimited (no limit gauge)
     * @param maxAge how old a reading a scrape may get; zero = read at every scrape
     */
    public StoreGauges(MeterRegistry registry, Supplier<SessionCensus.Counts> census, Optional<Integer> seatLimit,
            Duration maxAge, Clock clock) {
        this.census = requireNonNull(census, "census");
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = requireNonNull(clock, "clock");
        for (LicenseType license : LicenseType.values()) {
            Map<ClientKind, AtomicLong> byKind = new EnumMap<>(ClientKind.class);
            for (ClientKind kind : ClientKind.values()) {
                AtomicLong value = new AtomicLong();
                byKind.put(kind, value);
                Gauge.builder(SESSIONS_ACTIVE, value, AtomicLong::get)
                        .description("Open, active sessions in the store (all replicas), by licence type and client kind")
                        .tag(TAG_LICENSE_TYPE, license.name().toLowerCase(Locale.ROOT))
                        .tag(TAG_CLIENT_KIND, kind.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
            active.put(license, byKind);
        }
        Gauge.builder(SEATS_USED, seatsUsed, AtomicLong::get)
                .description("Concurrent licence seats held now")
                .register(registry);
        Gauge.builder(SEATS_HIGH_WATER, seatsHighWater, AtomicLong::get)
                .description("The most concurrent licence seats ever held at once")
                .register(registry);
        seatLimit.ifPresent(limit -> Gauge.builder(SEATS_LIMIT, () -> limit)
                .description("Seats in the concurrent licence pool (SESSIOND_CONCURRENT_LICENSES)")
                .register(registry));
        Gauge.builder(CONFIGURATION_VERSION, configurationVersion, AtomicLong::get)
                .description("The store-wide configuration version")
                .register(registry);
    }

    /**
     * Reads the store and updates every gauge, unless a reading began within {@code maxAge} of this
     * call (one running now included: this waits for it). Keeps the old values when the store
     * cannot be read.
     */
    public void refresh() {
        long asked = clock.millis();
        synchronized (this) {
            // Within maxAge either way: the reading may have begun after this call asked (it took the lock first),
            // and a wall clock set back by more must not keep old figures for that long.
            if (maxAgeMillis > 0 && lastReading != Long.MIN_VALUE && Math.abs(asked - lastReading) <= maxAgeMillis) {
                return;
            }
            long began = clock.millis();
            if (read()) {
                lastReading = began;
            }
        }
    }

    private boolean read() {
        SessionCensus.Counts counts;
        try {
            counts = census.get();
        } catch (Exception e) { // Jdbi may throw checked exceptions sneakily
            log.debug("store gauges not refreshed: {}", e.toString());
            return false;
        }
        active.values().forEach(byKind -> byKind.values().forEach(v -> v.set(0)));
        for (SessionCensus.Active a : counts.active()) {
            active.get(a.licenseType()).get(a.clientKind()).set(a.sessions());
        }
        seatsUsed.set(counts.seatsInUse());
        seatsHighWater.set(counts.seatsHighWater());
        configurationVersion.set(counts.configurationVersion());
        return true;
    }
}
