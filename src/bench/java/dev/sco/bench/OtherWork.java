package dev.sco.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How much CPU the machine spent on work other than the benchmark while it ran: every second, the
 * machine's busy time ({@code /proc/stat}) minus the CPU time of the benchmark's own processes
 * (this JVM and everything it started, and the PostgreSQL servers whose data directories lie
 * under the benchmark's work directory, with their backends). The load average cannot say this:
 * it counts the benchmark's own load too.
 * <p>
 * A tracked process's time includes the children it reaped ({@code cutime}, {@code cstime}), so a
 * backend that exits still counts; the part of it already counted while it was alive is taken off
 * again when it disappears under a tracked parent.
 */
final class OtherWork implements AutoCloseable {

    /** Average cores of other work above which the report warns that the machine was busy. */
    static final double BUSY_CORES = 0.25;
    private static final long TICK_MILLIS = 10;
    private static final long PERIOD_SECONDS = 1;
    /** Width of the window whose average is reported as the peak. */
    private static final int PEAK_WINDOW = 10;

    private final Path work;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "other-work-sampler");
        t.setDaemon(true);
        return t;
    });
    /** The latest samples, each {other work ms, wall ns}, covering at least {@value #PEAK_WINDOW} s once full. */
    private final java.util.ArrayDeque<long[]> window = new java.util.ArrayDeque<>();

    private Map<Long, long[]> previous;
    private long previousMachineMillis;
    private long startNanos;
    private long previousNanos;
    private long otherMillis;
    private long windowMillis;
    private long windowNanos;
    private double peakCores;

    private OtherWork(Path work) {
        this.work = work;
    }

    static OtherWork start(Path work) {
        OtherWork meter = new OtherWork(work);
        meter.previous = meter.tracked();
        meter.previousMachineMillis = machineBusyMillis();
        meter.startNanos = System.nanoTime();
        meter.previousNanos = meter.startNanos;
        meter.sampler.scheduleAtFixedRate(meter::sample, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return meter;
    }

    /** What the sampler found; {@code averageCores} over the whole run, {@code peakCores} over {@value #PEAK_WINDOW} s. */
    record Result(double averageCores, double peakCores, double seconds) {
        boolean busy() {
            return averageCores > BUSY_CORES;
        }
    }

    synchronized Result result() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Result(seconds <= 0 ? 0 : otherMillis / 1000.0 / seconds, peakCores, seconds);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private synchronized void sample() {
        Map<Long, long[]> now = tracked();
        long machine = machineBusyMillis();
        long bench = 0;
        for (Map.Entry<Long, long[]> e : now.entrySet()) {
            long[] before = previous.get(e.getKey());
            bench += e.getValue()[0] - (before == null ? 0 : before[0]);
        }
        for (Map.Entry<Long, long[]> gone : previous.entrySet()) {
            if (!now.containsKey(gone.getKey()) && now.containsKey(gone.getValue()[1])) {
                // Reaped by a tracked parent, whose children's time now holds all of it.
                bench -= gone.getValue()[0];
            }
        }
        long other = Math.max(0, (machine - previousMachineMillis) - bench);
        long nanos = System.nanoTime();
        long elapsed = nanos - previousNanos;
        previous = now;
        previousMachineMillis = machine;
        previousNanos = nanos;
        otherMillis += other;
        // The sampler may run late on a loaded machine: the peak is over the wall time the samples
        // really cover, not their count.
        window.addLast(new long[] {other, elapsed});
        windowMillis += other;
        windowNanos += elapsed;
        while (window.size() > 1 && windowNanos - window.peekFirst()[1] >= PEAK_WINDOW * 1_000_000_000L) {
            long[] first = window.removeFirst();
            windowMillis -= first[0];
            windowNanos -= first[1];
        }
        if (windowNanos >= PEAK_WINDOW * 1_000_000_000L) {
            peakCores = Math.max(peakCores, windowMillis / 1000.0 / (windowNanos / 1e9));
        }
    }

    /** pid → {CPU ms including reaped children, parent pid} of every process of the benchmark. */
    private Map<Long, long[]> tracked() {
        Set<ProcessHandle> roots = new HashSet<>();
        roots.add(ProcessHandle.current());
        roots.addAll(ServiceProcess.postgresUnder(work));
        Map<Long, long[]> found = new HashMap<>();
        for (ProcessHandle root : roots) {
            put(found, root.pid());
            try (Stream<ProcessHandle> descendants = root.descendants()) {
                descendants.forEach(d -> put(found, d.pid()));
            }
        }
        return found;
    }

    private static void put(Map<Long, long[]> found, long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name: state ppid ... utime(12) stime(13) cutime(14) cstime(15).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            found.put(pid, new long[] {ticks * TICK_MILLIS, Long.parseLong(f[1])});
        } catch (IOException | RuntimeException gone) {
            // Exited between listing and reading.
        }
    }

    /** user + nice + system + irq + softirq + steal of every CPU, in ms. */
    static long machineBusyMillis() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks * TICK_MILLIS;
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }
}
