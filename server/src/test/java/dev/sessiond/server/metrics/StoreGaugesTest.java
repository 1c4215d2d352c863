package dev.sessiond.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.server.session.ClientKind;
import dev.sessiond.server.session.SessionCensus;
import dev.sessiond.server.testing.MutableClock;
import dev.sessiond.server.testing.StoreGate;
import dev.sessiond.server.user.LicenseType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** How often the gauges read from the store: at most once per max age, whoever scrapes. */
class StoreGaugesTest {

    final MutableClock clock = MutableClock.atSomeFixedInstant();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicInteger readings = new AtomicInteger();

    @Test
    void scrapesWithinTheMaxAge_shareOneReading() {
        StoreGauges gauges = gauges(Duration.ofSeconds(5), counting(() -> counts(readings.get())));

        gauges.refresh();
        clock.advance(Duration.ofSeconds(5));
        gauges.refresh();
        assertThat(readings).hasValue(1);
        assertThat(configurationVersion()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        gauges.refresh();
        assertThat(readings).as("older than 5 s: read again").hasValue(2);
        assertThat(configurationVersion()).isEqualTo(2);
    }

    @Test
    void aWallClockSetBack_byMoreThanTheMaxAge_doesNotKeepTheOldReading() {
        StoreGauges gauges = gauges(Duration.ofSeconds(5), counting(() -> counts(readings.get())));

        gauges.refresh();
        clock.advance(Duration.ofHours(-1));
        gauges.refresh();

        assertThat(readings).hasValue(2);
    }

    @Test
    void aMaxAgeOfZero_readsAtEveryScrape() {
        StoreGauges gauges = gauges(Duration.ZERO, counting(() -> counts(readings.get())));

        gauges.refresh();
        gauges.refresh();

        assertThat(readings).hasValue(2);
    }

    @Test
    void aScrapeDuringAReading_waitsForItAndSharesIt() throws Exception {
        StoreGate store = new StoreGate();
        StoreGauges gauges = gauges(Duration.ofSeconds(5), counting(() -> {
            store.pass();
            return counts(readings.get());
        }));
        Thread first = new Thread(gauges::refresh, "first scrape");
        first.start();
        store.awaitEntered(1);
        Thread second = new Thread(gauges::refresh, "second scrape");
        second.start();
        StoreGate.awaitState(second, Thread.State.BLOCKED, Thread.State.WAITING);

        store.open();
        first.join(10_000);
        second.join(10_000);

        assertThat(first.isAlive() || second.isAlive()).isFalse();
        assertThat(readings).as("one reading for both scrapes").hasValue(1);
    }

    @Test
    void aFailedReading_keepsTheValues_andTheNextScrapeTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        StoreGauges gauges = gauges(Duration.ofSeconds(5), () -> switch (calls.incrementAndGet()) {
            case 1 -> counts(7);
            case 2 -> throw new IllegalStateException("the store is away");
            default -> counts(8);
        });
        gauges.refresh();
        clock.advance(Duration.ofSeconds(6));

        gauges.refresh();
        assertThat(configurationVersion()).as("kept").isEqualTo(7);
        gauges.refresh();

        assertThat(calls).as("tried again at once, not after another 5 s").hasValue(3);
        assertThat(configurationVersion()).isEqualTo(8);
    }

    private StoreGauges gauges(Duration maxAge, Supplier<SessionCensus.Counts> census) {
        return new StoreGauges(registry, census, Optional.empty(), maxAge, clock);
    }

    private Supplier<SessionCensus.Counts> counting(Supplier<SessionCensus.Counts> census) {
        return () -> {
            readings.incrementAndGet();
            return census.get();
        };
    }

    private double configurationVersion() {
        return registry.get(StoreGauges.CONFIGURATION_VERSION).gauge().value();
    }

    /** A reading whose configuration version is {@code version}, with one active web session. */
    private static SessionCensus.Counts counts(long version) {
        return new SessionCensus.Counts(List.of(new SessionCensus.Active(LicenseType.PERSONAL, ClientKind.WEB, 1)),
                0, 0, version);
    }
}
