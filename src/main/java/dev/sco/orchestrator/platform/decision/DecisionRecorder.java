package dev.sco.orchestrator.platform.decision;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records sensor decisions, also the ones that did nothing, so an operator can see why an outage
 * did or did not start a process ({@code GET /api/decisions}). Writes join the caller's
 * transaction, so a decision and what it started commit together. Repeats coalesce (a count and
 * the latest time on one row), and {@link DecisionRetentionJob} removes rows past their retention.
 * <p>
 * Two passes of one sensor can overlap (a background pass and one asked for by hand, or two nodes):
 * each would miss the other's uncommitted row and add its own, splitting one run of repeats into
 * two records. So a write first takes a transaction lock per sensor (in name order), held until
 * the caller's transaction ends; the second pass then sees the first one's row and counts on it.
 */
@Component
public class DecisionRecorder {

    /** A decision to record; {@code businessKey} and {@code processInstanceId} may be null. */
    public record Decision(String sensor, String subject, String action, String reason, Instant at,
                           String businessKey, String processInstanceId) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final String node;

    DecisionRecorder(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        // Joins the caller's transaction when there is one, so the lock lasts until it commits.
        this.transaction = new TransactionTemplate(transactionManager);
        this.node = NodeName.current();
    }

    public void record(Decision decision) {
        recordAll(List.of(decision));
    }

    /** Many decisions of one pass in a single statement. */
    public void recordAll(List<Decision> decisions) {
        if (decisions.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            TreeSet<String> sensors = new TreeSet<>();
            decisions.forEach(d -> sensors.add(d.sensor()));
            for (String sensor : sensors) {
                jdbc.sql("select pg_advisory_xact_lock(hashtext('sensor_decision:' || ?))").param(sensor)
                        .query((rs, row) -> 1).list();
            }
            write(decisions);
        });
    }

    private void write(List<Decision> decisions) {
        int n = decisions.size();
        String[] sensors = new String[n];
        String[] subjects = new String[n];
        String[] actions = new String[n];
        String[] reasons = new String[n];
        Timestamp[] times = new Timestamp[n];
        String[] keys = new String[n];
        String[] processes = new String[n];
        for (int i = 0; i < n; i++) {
            Decision d = decisions.get(i);
            sensors[i] = d.sensor();
            subjects[i] = d.subject();
            actions[i] = d.action();
            reasons[i] = d.reason();
            times[i] = Timestamp.from(d.at());
            keys[i] = d.businessKey();
            processes[i] = d.processInstanceId();
        }
        // A decision the same as the latest one about its subject (same sensor, action and reason)
        // is a repeat: it counts on that row instead of adding one. Only the latest row, so a
        // subject that goes A, B, A keeps three rows and its history reads in order.
        jdbc.sql("""
                with d as (
                    select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[],
                                         ?::text[]) with ordinality as d(s, sub, a, r, t, k, p, ord)),
                latest as (
                    select d.ord, x.id, x.action, x.reason
                      from d cross join lateral (
                           select id, action, reason from sensor_decision
                            where sensor = d.s and subject = d.sub
                            order by last_decided_at desc, id desc limit 1) x),
                repeated as (
                    update sensor_decision x
                       set occurrences = x.occurrences + 1, last_decided_at = greatest(x.last_decided_at, d.t),
                           last_node = ?
                      from d join latest l on l.ord = d.ord
                     where x.id = l.id and l.action = d.a and l.reason = d.r
                    returning d.ord)
                insert into sensor_decision (sensor, subject, action, reason, decided_at, last_decided_at, node,
                                             last_node, business_key, process_instance_id)
                select s, sub, a, r, t, t, ?, ?, k, p from d where ord not in (select ord from repeated)""")
                .params(sensors, subjects, actions, reasons, times, keys, processes, node, node, node)
                .update();
    }

    /**
     * Removes decisions whose latest occurrence is before {@code cutoff}, in batches of
     * {@value #PURGE_BATCH} each committed on its own (the caller runs outside a transaction), so
     * the first purge of a long-kept table is not one huge transaction. Returns how many went.
     */
    public int purgeBefore(Instant cutoff) {
        int removed = 0;
        int batch;
        do {
            batch = jdbc.sql("""
                    delete from sensor_decision where id in (
                        select id from sensor_decision where last_decided_at < ? limit ?)""")
                    .params(Timestamp.from(cutoff), PURGE_BATCH).update();
            removed += batch;
        } while (batch == PURGE_BATCH);
        return removed;
    }

    static final int PURGE_BATCH = 10_000;

    public List<SensorDecision> recent(String sensor, String subject, int limit) {
        return jdbc.sql("""
                select id, sensor, subject, action, reason, decided_at, last_decided_at, occurrences, node, last_node,
                       business_key, process_instance_id
                  from sensor_decision
                 where (cast(? as text) is null or sensor = ?) and (cast(? as text) is null or subject = ?)
                 order by last_decided_at desc, id desc limit ?""")
                .params(sensor, sensor, subject, subject, limit)
                .query((rs, i) -> new SensorDecision(rs.getLong("id"), rs.getString("sensor"), rs.getString("subject"),
                        rs.getString("action"), rs.getString("reason"), rs.getTimestamp("decided_at").toInstant(),
                        rs.getTimestamp("last_decided_at").toInstant(), rs.getInt("occurrences"),
                        rs.getString("node"), rs.getString("last_node"), rs.getString("business_key"),
                        rs.getString("process_instance_id")))
                .list();
    }

    /** The node's name in decision records: host name and process id. */
    static final class NodeName {
        private NodeName() {
        }

        static String current() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "unknown-host";
            }
            return host + "/" + ProcessHandle.current().pid();
        }
    }
}
