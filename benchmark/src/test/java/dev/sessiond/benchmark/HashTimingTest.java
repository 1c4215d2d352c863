package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashTimingTest {

    @Test
    void aSlowPhaseOfTheJit_doesNotMoveTheFigure() {
        // Timings as measured: a batch inside a ~70 ms phase, one with a single outlier, one undisturbed.
        double[] millis = {
            71, 69, 70, 72, 24, 70, 71, 68, 70, 73,
            24, 23, 25, 60, 24, 23, 24, 25, 23, 24,
            22, 23, 22, 24, 23, 22, 23, 22, 23, 24};
        assertThat(HashTiming.lowestBatchMedian(millis, 10)).isEqualTo(23.0);
    }

    @Test
    void eachBatchIsJudgedByItsMedian_notByItsFastestHash() {
        double[] millis = {10, 40, 40, 40, 40, 30, 31, 32, 33, 90};
        assertThat(HashTiming.lowestBatchMedian(millis, 5)).isEqualTo(32.0);
    }

    @Test
    void aPartialLastBatch_isLeftOut() {
        assertThat(HashTiming.lowestBatchMedian(new double[] {30, 30, 30, 5}, 3)).isEqualTo(30.0);
        assertThatThrownBy(() -> HashTiming.lowestBatchMedian(new double[] {30, 30}, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
