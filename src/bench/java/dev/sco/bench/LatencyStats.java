package dev.sco.bench;

import java.util.Arrays;

/** Throughput and latency percentiles of one measured batch of requests. */
record LatencyStats(int requested, int completed, int errors, String firstError, double seconds,
                    double perSecond, double p50Millis, double p99Millis, double maxMillis) {

    static LatencyStats of(int requested, long[] latencyNanos, int completed, int errors, String firstError,
                           long elapsedNanos) {
        long[] done = Arrays.copyOf(latencyNanos, completed);
        Arrays.sort(done);
        double seconds = elapsedNanos / 1e9;
        int ok = completed - errors;
        return new LatencyStats(requested, completed, errors, firstError, seconds,
                seconds > 0 ? ok / seconds : 0,
                percentile(done, 0.50), percentile(done, 0.99),
                done.length == 0 ? 0 : done[done.length - 1] / 1e6);
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double percentile(long[] sortedNanos, double fraction) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(fraction * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }
}
