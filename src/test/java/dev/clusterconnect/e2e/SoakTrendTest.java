package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The soak's rule for a rising series, on made-up samples a minute apart. */
class SoakTrendTest {

    private static final List<Double> MINUTES =
            IntStream.rangeClosed(1, 30).mapToObj(i -> (double) i).toList();

    @Test
    void aSeriesThatWobblesAroundItsLevelIsFlat() {
        List<Double> heap =
                MINUTES.stream().map(m -> 40 + (m % 3 == 0 ? 1.5 : -0.5)).toList();
        assertThat(SoakTrend.judge("heap MiB", MINUTES, heap).verdict()).isEqualTo(SoakTrend.Verdict.FLAT);
    }

    @Test
    void aSteadyLeakIsRisingEvenWhenEachStepIsSmall() {
        // 0.5 MiB a minute: under the floor from one sample to the next, 7 MiB over the judged half
        List<Double> heap = MINUTES.stream().map(m -> 40 + 0.5 * m).toList();
        SoakTrend.Judgement judgement = SoakTrend.judge("heap MiB", MINUTES, heap);
        assertThat(judgement.verdict()).isEqualTo(SoakTrend.Verdict.RISING);
        assertThat(judgement.slopePerMinute()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void growthDuringWarmUpAloneIsNotALeak() {
        // threads climb for the first ten minutes (pools filling), then stay
        List<Double> threads =
                MINUTES.stream().map(m -> Math.min(m, 10.0) * 4 + 20).toList();
        assertThat(SoakTrend.judge("threads", MINUTES, threads).verdict()).isEqualTo(SoakTrend.Verdict.FLAT);
    }

    @Test
    void aStreamCountThatKeepsClimbingIsRisingAndOneThatFallsIsNot() {
        List<Double> climbing = MINUTES.stream().map(m -> m / 2).toList();
        List<Double> falling = MINUTES.stream().map(m -> 30 - m).toList();
        assertThat(SoakTrend.judge("streams", MINUTES, climbing).verdict()).isEqualTo(SoakTrend.Verdict.RISING);
        assertThat(SoakTrend.judge("streams", MINUTES, falling).verdict()).isEqualTo(SoakTrend.Verdict.FLAT);
    }

    @Test
    void tooFewSamplesInTheSecondHalfAreNotJudged() {
        List<Double> minutes = List.of(1.0, 2.0, 3.0, 4.0);
        assertThat(SoakTrend.judge("fds", minutes, List.of(10.0, 20.0, 30.0, 40.0))
                        .verdict())
                .isEqualTo(SoakTrend.Verdict.TOO_SHORT);
    }
}
