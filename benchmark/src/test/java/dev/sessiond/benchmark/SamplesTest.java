package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void latency_isNearestRankInMilliseconds() {
        Samples samples = new Samples(1_000);
        for (int i = 100; i >= 1; i--) {
            samples.add(i * 1_000_000L); // 1..100 ms, added out of order
        }
        Samples.Latency latency = samples.latency();
        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.p50()).isEqualTo(50.0);
        assertThat(latency.p90()).isEqualTo(90.0);
        assertThat(latency.p99()).isEqualTo(99.0);
        assertThat(latency.max()).isEqualTo(100.0);
    }

    @Test
    void samplesBeyondCapacity_areCountedButNotKept() {
        Samples samples = new Samples(10);
        for (int i = 0; i < 15; i++) {
            samples.add(1_000_000L);
        }
        assertThat(samples.count()).isEqualTo(15);
        assertThat(samples.dropped()).isEqualTo(5);
        assertThat(samples.latency().count()).isEqualTo(10);
    }

    @Test
    void noSamples_areNaN() {
        Samples.Latency latency = new Samples(10).latency();
        assertThat(latency.count()).isZero();
        assertThat(latency.p99()).isNaN();
    }
}
