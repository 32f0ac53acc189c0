package dev.clusterconnect.e2e;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a series sampled during a soak rises: the least-squares slope over the second half of
 * the run (the first half is warm-up: JIT, pools and caches filling), projected over that half,
 * against the larger of 10 % of the half's mean and a floor per series. A leak shows as growth
 * that goes on; a series that only wobbles around its level, or falls, is flat.
 *
 * <p>Why these numbers: heap after a full GC of a warmed-up app moves by a MiB or two between
 * samples (a buffer pooled or not, a compiled method), threads and file descriptors by the few a
 * request in flight at the sampling instant holds, streams by the load's sessions under way. The
 * floors sit above that noise. At the default rates a heap leak of about 25 bytes per GET or
 * 1.4 KiB per watch exceeds 10 % of a 20 MiB heap in fifteen minutes; smaller ones show in the
 * class histograms the runner prints, not here.
 */
final class SoakTrend {

    static final double RELATIVE = 0.10;
    static final Map<String, Double> FLOORS = Map.of("heap MiB", 2.0, "threads", 2.0, "fds", 4.0, "streams", 3.0);
    /** Fewer samples than this in the judged half cannot show a trend. */
    static final int MIN_POINTS = 4;

    enum Verdict {
        FLAT,
        RISING,
        TOO_SHORT
    }

    /** The judgement of one series: its verdict and the figures behind it. */
    record Judgement(Verdict verdict, double slopePerMinute, double rise, double threshold, double mean, int points) {
        String describe() {
            if (verdict == Verdict.TOO_SHORT) {
                return String.format(Locale.ROOT, "too short (%d points in the second half)", points);
            }
            return String.format(
                    Locale.ROOT,
                    "%s: %+.2f/min, %+.1f over the half vs limit %.1f (mean %.1f, %d points)",
                    verdict == Verdict.FLAT ? "flat" : "RISING",
                    slopePerMinute,
                    rise,
                    threshold,
                    mean,
                    points);
        }
    }

    private SoakTrend() {}

    /** {@code minutes[i]} is when {@code values[i]} was sampled, from the start of the load. */
    static Judgement judge(String series, List<Double> minutes, List<Double> values) {
        double end = minutes.get(minutes.size() - 1);
        double from = end / 2;
        int first = 0;
        while (first < minutes.size() && minutes.get(first) < from) {
            first++;
        }
        int n = minutes.size() - first;
        if (n < MIN_POINTS) {
            return new Judgement(Verdict.TOO_SHORT, 0, 0, 0, 0, n);
        }
        double meanT = 0;
        double meanV = 0;
        for (int i = first; i < minutes.size(); i++) {
            meanT += minutes.get(i) / n;
            meanV += values.get(i) / n;
        }
        double covariance = 0;
        double variance = 0;
        for (int i = first; i < minutes.size(); i++) {
            covariance += (minutes.get(i) - meanT) * (values.get(i) - meanV);
            variance += (minutes.get(i) - meanT) * (minutes.get(i) - meanT);
        }
        double slope = variance == 0 ? 0 : covariance / variance;
        double rise = slope * (end - minutes.get(first));
        double threshold = Math.max(RELATIVE * Math.abs(meanV), FLOORS.getOrDefault(series, 0.0));
        return new Judgement(rise > threshold ? Verdict.RISING : Verdict.FLAT, slope, rise, threshold, meanV, n);
    }
}
