package dev.sco.orchestrator.pause;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether a target is registered, and how healthy it is by what the sensors already know (read
 * from their tables; nothing connects to a target here):
 * <ul>
 * <li>database: the health probe's last result ({@code database_probe_state}) and its acting role
 * (unhealthy: last probe not reachable, or acting role {@code failed});</li>
 * <li>server: Down by its last heartbeat and unresponsive period (never heard from counts as Down);</li>
 * <li>hub pair: the acting hub's last heartbeat against the pair's timeout.</li>
 * </ul>
 */
@Component
class PauseTargets {

    /** What the sensors know about a target; {@code unhealthy} asks for an operator's review. */
    record Health(boolean unhealthy, String detail) {
    }

    private final JdbcClient jdbc;

    PauseTargets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean registered(TargetKind kind, String name) {
        String table = switch (kind) {
            case DATABASE -> "database_endpoint";
            case SERVER -> "server";
            case HUB_PAIR -> "hub_pair";
        };
        return jdbc.sql("select count(*) from " + table + " where name = ?").param(name).query(Long.class).single() > 0;
    }

    Health health(TargetKind kind, String name, Instant now) {
        return switch (kind) {
            case DATABASE -> database(name);
            case SERVER -> server(name, now);
            case HUB_PAIR -> hubPair(name, now);
        };
    }

    private Health database(String name) {
        record Row(String actingRole, String classification, String error, Instant probedAt) {
        }
        Optional<Row> row = jdbc.sql("""
                select e.acting_role, p.last_classification, p.last_error, p.last_probe_at
                  from database_endpoint e left join database_probe_state p on p.database = e.name
                 where e.name = ?""")
                .param(name)
                .query((rs, i) -> new Row(rs.getString("acting_role"), rs.getString("last_classification"),
                        rs.getString("last_error"), instant(rs.getTimestamp("last_probe_at"))))
                .optional();
        if (row.isEmpty()) {
            return new Health(false, "database " + name + " is no longer registered");
        }
        Row r = row.get();
        String role = "acting role " + r.actingRole();
        if ("failed".equals(r.actingRole())) {
            return new Health(true, role + " (failed over earlier)");
        }
        if (r.classification() == null) {
            return new Health(false, role + "; not probed by the health probe (no failover partner)");
        }
        if (!"reachable".equals(r.classification())) {
            return new Health(true, role + "; last probe at " + r.probedAt() + " " + r.classification()
                    + (r.error() == null ? "" : ": " + r.error()));
        }
        return new Health(false, role + "; last probe at " + r.probedAt() + " reachable");
    }

    private Health server(String name, Instant now) {
        record Row(Instant lastPing, int period) {
        }
        Optional<Row> row = jdbc.sql("select last_ping_at, unresponsive_period_seconds from server where name = ?")
                .param(name)
                .query((rs, i) -> new Row(instant(rs.getTimestamp("last_ping_at")), rs.getInt("unresponsive_period_seconds")))
                .optional();
        if (row.isEmpty()) {
            return new Health(false, "server " + name + " is no longer registered");
        }
        Row r = row.get();
        if (r.lastPing() == null) {
            return new Health(true, "Down: never sent a heartbeat");
        }
        Instant overdue = r.lastPing().plusSeconds(r.period());
        if (now.isAfter(overdue)) {
            return new Health(true, "Down: last heartbeat " + r.lastPing() + ", overdue since " + overdue);
        }
        return new Health(false, "Up: last heartbeat " + r.lastPing());
    }

    private Health hubPair(String name, Instant now) {
        record Row(String acting, String primary, Instant primaryBeat, Instant secondaryBeat, int timeout) {
        }
        Optional<Row> row = jdbc.sql("""
                select acting_hub, primary_hub, primary_last_heartbeat, secondary_last_heartbeat,
                       heartbeat_timeout_seconds from hub_pair where name = ?""")
                .param(name)
                .query((rs, i) -> new Row(rs.getString("acting_hub"), rs.getString("primary_hub"),
                        instant(rs.getTimestamp("primary_last_heartbeat")),
                        instant(rs.getTimestamp("secondary_last_heartbeat")), rs.getInt("heartbeat_timeout_seconds")))
                .optional();
        if (row.isEmpty()) {
            return new Health(false, "hub pair " + name + " is no longer registered");
        }
        Row r = row.get();
        if (r.acting() == null) {
            return new Health(false, "no hub has sent a heartbeat yet");
        }
        Instant last = r.acting().equals(r.primary()) ? r.primaryBeat() : r.secondaryBeat();
        if (last == null || last.isBefore(now.minus(Duration.ofSeconds(r.timeout())))) {
            return new Health(true, "acting hub " + r.acting() + " lost: last heartbeat " + last + ", timeout "
                    + r.timeout() + " s");
        }
        return new Health(false, "acting hub " + r.acting() + " alive: last heartbeat " + last);
    }

    private static Instant instant(Timestamp value) {
        return value == null ? null : value.toInstant();
    }
}
