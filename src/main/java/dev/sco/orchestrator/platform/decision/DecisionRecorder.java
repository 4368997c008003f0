package dev.sco.orchestrator.platform.decision;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records sensor decisions, also the ones that did nothing, so an operator can see why an outage
 * did or did not start a process ({@code GET /api/decisions}). Writes join the caller's
 * transaction, so a decision and what it started commit together.
 */
@Component
public class DecisionRecorder {

    /** A decision to record; {@code businessKey} and {@code processInstanceId} may be null. */
    public record Decision(String sensor, String subject, String action, String reason, Instant at,
                           String businessKey, String processInstanceId) {
    }

    private final JdbcClient jdbc;
    private final String node;

    DecisionRecorder(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
        jdbc.sql("""
                insert into sensor_decision (sensor, subject, action, reason, decided_at, node, business_key,
                                             process_instance_id)
                select s, sub, a, r, t, ?, k, p
                  from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                       as d(s, sub, a, r, t, k, p)""")
                .params(node, sensors, subjects, actions, reasons, times, keys, processes)
                .update();
    }

    public List<SensorDecision> recent(String sensor, String subject, int limit) {
        return jdbc.sql("""
                select id, sensor, subject, action, reason, decided_at, node, business_key, process_instance_id
                  from sensor_decision
                 where (cast(? as text) is null or sensor = ?) and (cast(? as text) is null or subject = ?)
                 order by decided_at desc, id desc limit ?""")
                .params(sensor, sensor, subject, subject, limit)
                .query((rs, i) -> new SensorDecision(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8),
                        rs.getString(9)))
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
