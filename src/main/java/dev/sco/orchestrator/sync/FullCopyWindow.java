package dev.sco.orchestrator.sync;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.sco.orchestrator.platform.continuity.SyncControl.FullCopyPlan;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether a full copy of a pair (a full resynchronisation, a restoration's copy back) may start now:
 * never inside the pair's maintenance window, and only when its estimate ends before the next window
 * starts. The estimate is the size of the pair's tables on the side copied from, at the rate of the
 * pair's last full copy ({@code full_copy}, written when a copy finishes). The first copy of a pair
 * has no estimate and starts; so does a copy longer than any gap between two windows (waiting would
 * not make it fit).
 */
@Component
class FullCopyWindow {

    static final String FULL_RESYNC = "full-resync";
    static final String COPY_BACK = "copy-back";

    private static final Logger log = LoggerFactory.getLogger(FullCopyWindow.class);

    private final PairWindows windows;
    private final SyncTables tables;
    private final TargetDatabases targets;
    private final JdbcClient orchestrator;
    private final Clock clock;

    FullCopyWindow(PairWindows windows, SyncTables tables, TargetDatabases targets, JdbcClient orchestrator,
                   Clock clock) {
        this.windows = windows;
        this.tables = tables;
        this.targets = targets;
        this.orchestrator = orchestrator;
        this.clock = clock;
    }

    /** The last full copy of a pair: how much it moved and how long it took. */
    record LastCopy(String kind, long bytes, long rows, Duration took, Instant finishedAt) {
    }

    Optional<LastCopy> last(String primary) {
        return orchestrator.sql("""
                select kind, bytes, rows_copied, duration_ms, finished_at from full_copy
                 where database = ? order by id desc limit 1""")
                .param(primary)
                .query((rs, i) -> new LastCopy(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        Duration.ofMillis(rs.getLong(4)), rs.getTimestamp(5).toInstant()))
                .optional();
    }

    /**
     * Decides for a full copy of the pair named by {@code primary} from {@code source} (the primary
     * for a resync, the failover database for a copy back).
     */
    FullCopyPlan plan(String primary, String source) {
        Instant now = clock.instant();
        PairWindow window = windows.of(primary);
        if (!window.enabled()) {
            return FullCopyPlan.startNow("the pair has no maintenance window");
        }
        Instant currentEnd = window.currentEnd(now);
        if (currentEnd != null) {
            return FullCopyPlan.waitUntil(currentEnd, now, "inside the maintenance window (" + window
                    + ") until " + currentEnd + "; a full copy starts after it");
        }
        Optional<LastCopy> last = last(primary);
        if (last.isEmpty() || last.get().bytes() == 0 || last.get().took().isZero()) {
            return FullCopyPlan.startNow("no full copy of the pair measured yet, so no estimate: starting");
        }
        long bytes;
        try {
            bytes = sourceBytes(primary, source);
        } catch (RuntimeException e) {
            return FullCopyPlan.startNow("the size of the tables on " + source + " cannot be read (" + e.getMessage()
                    + "): starting, the copy reports its own failure");
        }
        LastCopy previous = last.get();
        Duration estimate = Duration.ofMillis(
                (long) Math.ceil((double) bytes * previous.took().toMillis() / previous.bytes()));
        String basis = "estimated " + human(estimate) + " for " + bytes + " bytes at the rate of the last full copy ("
                + previous.bytes() + " bytes in " + human(previous.took()) + ", " + previous.finishedAt() + ")";
        Instant nextStart = window.nextStart(now);
        Instant end = now.plus(estimate);
        if (!end.isAfter(nextStart)) {
            return FullCopyPlan.startNow(basis + "; ends at " + end + ", before the maintenance window at " + nextStart);
        }
        Instant windowEnd = window.nextEnd(nextStart);
        Duration gap = Duration.between(windowEnd, window.nextStart(windowEnd));
        if (estimate.compareTo(gap) > 0) {
            return FullCopyPlan.startNow(basis + "; longer than the " + human(gap) + " between two maintenance windows"
                    + " (" + window + "), so no wait would make it fit: starting");
        }
        return FullCopyPlan.waitUntil(windowEnd, now, basis + "; it would end at " + end
                + ", after the maintenance window (" + window + ") starts at " + nextStart + ": waiting until "
                + windowEnd);
    }

    /** Records a finished full copy: its rows, its duration and the size of the tables it copied. */
    void record(String primary, String kind, String source, long rows, Duration took) {
        long bytes;
        try {
            bytes = sourceBytes(primary, source);
        } catch (RuntimeException e) {
            log.warn("Full copy of {} not recorded for estimates: the size of its tables on {} cannot be read: {}",
                    primary, source, e.getMessage());
            return;
        }
        orchestrator.sql("""
                insert into full_copy (database, kind, source, bytes, rows_copied, duration_ms, finished_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(primary, kind, source, bytes, rows, took.toMillis(), Timestamp.from(clock.instant())).update();
        log.info("Full copy ({}) of {} from {}: {} rows, {} bytes in {}", kind, primary, source, rows, bytes,
                human(took));
    }

    /** The size on {@code source} of the pair's tables (with every partition). */
    long sourceBytes(String primary, String source) {
        List<SyncTable> list = tables.tables(primary);
        JdbcClient jdbc = targets.jdbc(source);
        long bytes = 0;
        for (SyncTable table : list) {
            bytes += jdbc.sql("""
                    select coalesce(sum(pg_table_size(relid)), 0) from pg_partition_tree(to_regclass(?))""")
                    .param(table.table().quoted()).query(Long.class).single();
        }
        return bytes;
    }

    private static String human(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 120) {
            return d.toMillis() < 10_000 ? d.toMillis() + " ms" : seconds + " s";
        }
        if (seconds < 7_200) {
            return (seconds / 60) + " min";
        }
        return (seconds / 3_600) + " h " + (seconds % 3_600 / 60) + " min";
    }
}
