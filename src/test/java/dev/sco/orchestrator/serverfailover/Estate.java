package dev.sco.orchestrator.serverfailover;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Small factory of estate rows for the tests, written straight to the tables. */
final class Estate {

    private final JdbcClient jdbc;
    private final String prefix = "sf-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    Estate(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String name(String local) {
        return prefix + local;
    }

    /** A management server; {@code standby} and {@code lastPing} may be null. */
    String server(String local, String standby, int periodSeconds, Instant lastPing) {
        String name = name(local);
        jdbc.sql("""
                        INSERT INTO server (name, kind, standby, unresponsive_period_seconds, last_ping_at)
                        VALUES (?, 'management', ?, ?, ?)""")
                .params(name, standby, periodSeconds, at(lastPing)).update();
        return name;
    }

    void ping(String server, Instant at) {
        jdbc.sql("UPDATE server SET last_ping_at = ? WHERE name = ?").params(at(at), server).update();
    }

    String site(String local, String managedBy) {
        String name = name(local);
        jdbc.sql("INSERT INTO site (name, managed_by) VALUES (?, ?)").params(name, managedBy).update();
        return name;
    }

    String job(String local, String kind, String site, String managedBy) {
        String name = name(local);
        jdbc.sql("INSERT INTO server_job (name, kind, site, managed_by) VALUES (?, ?, ?, ?)")
                .params(name, kind, site, managedBy).update();
        return name;
    }

    String agent(String local, String registration, String managedBy, List<String> chain) {
        String name = name(local);
        jdbc.sql("""
                        INSERT INTO agent (name, instance, username, status, registration, managed_by)
                        VALUES (?, 'sf-instance', 'mid', 'Up', ?, ?)""")
                .params(name, registration, managedBy).update();
        for (int i = 0; i < chain.size(); i++) {
            jdbc.sql("INSERT INTO agent_chain (agent, position, server) VALUES (?, ?, ?)")
                    .params(name, i, chain.get(i)).update();
        }
        return name;
    }

    long session(String server, Instant openedAt) {
        return jdbc.sql("INSERT INTO server_session (server, opened_at) VALUES (?, ?) RETURNING id")
                .params(server, at(openedAt)).query(Long.class).single();
    }

    boolean sessionOpen(long id) {
        return jdbc.sql("SELECT closed_at IS NULL FROM server_session WHERE id = ?").param(id)
                .query(Boolean.class).single();
    }

    String managerOfSite(String site) {
        return jdbc.sql("SELECT managed_by FROM site WHERE name = ?").param(site).query(String.class).single();
    }

    String managerOfJob(String job) {
        return jdbc.sql("SELECT managed_by FROM server_job WHERE name = ?").param(job).query(String.class).single();
    }

    String managerOfAgent(String agent) {
        return jdbc.sql("SELECT managed_by FROM agent WHERE name = ?").param(agent).query(String.class).single();
    }

    List<Outage> outages(OutageRepository repository, String server) {
        return repository.ofServer(server, 100);
    }

    List<String> decisions(String server) {
        return jdbc.sql("SELECT action || ': ' || reason FROM sensor_decision WHERE subject = ? ORDER BY id")
                .param(server).query(String.class).list();
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
