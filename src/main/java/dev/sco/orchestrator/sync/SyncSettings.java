package dev.sco.orchestrator.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How databases are synchronised (S3).
 *
 * @param interval               time between two scheduled runs of a pair
 * @param overlap                how far before its previous checkpoint an incremental table is re-read
 *                               (rows committed late, with an older increment value, are caught by it)
 * @param staleAfter             a run whose heartbeat is older than this is reported stale and may be reset
 * @param windowStart            start of the nightly maintenance window ({@code HH:mm})
 * @param windowMinutes          length of the window; 0 disables it
 * @param windowZone             time zone of {@code windowStart} (empty: the server's)
 * @param failuresBeforeRecovery consecutive failed runs that stop the schedule and start the recovery process
 * @param copyTimeout            statement timeout of one table copy (0 = none)
 * @param schedule               whether pairs get their Quartz trigger (off: runs only through the API and recovery)
 * @param pairs                  tables per pair, by primary database name: a seed, written into the store at
 *                               start-up when the pair has no tables registered yet (the API changes them)
 */
@ConfigurationProperties("orchestrator.sync")
public record SyncSettings(
        @DefaultValue("15m") Duration interval,
        @DefaultValue("5m") Duration overlap,
        @DefaultValue("30m") Duration staleAfter,
        @DefaultValue("00:00") String windowStart,
        @DefaultValue("60") int windowMinutes,
        @DefaultValue("") String windowZone,
        @DefaultValue("3") int failuresBeforeRecovery,
        @DefaultValue("2h") Duration copyTimeout,
        @DefaultValue("true") boolean schedule,
        Map<String, Pair> pairs) {

    public SyncSettings {
        pairs = pairs == null ? Map.of() : Map.copyOf(pairs);
    }

    /** The tables of one pair, in copy order (parents before children). */
    public record Pair(String schema, List<Table> tables) {
        public Pair {
            tables = tables == null ? List.of() : List.copyOf(tables);
        }
    }

    /** One table: its kind ({@code referenced}, {@code non-referenced}, {@code partitioned}, {@code lookup}). */
    public record Table(String name, String kind, String incrementColumn, boolean kpi) {
    }
}
