package dev.sco.orchestrator.platform.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills the sample monitored schema with set-based SQL ({@code insert ... select generate_series}),
 * in one transaction. Counts are exact and depend only on the arguments:
 * <ul>
 *   <li>10 rules, 20 computers and their lookup rows, the first time only (they are configuration);</li>
 *   <li>{@code alerts} alerts, 2 history rows each, and 1 event link each when there are events;</li>
 *   <li>{@code eventsPerDay x days} events (2 parameters each) and as many numeric samples.</li>
 * </ul>
 * Event and alert times spread evenly over the {@code days} days before now; {@code created_at}
 * is the time of the insert, so a later call adds rows an incremental sync sees as new.
 */
@Component
public class SampleDataGenerator {

    static final int RULES = 10;
    static final int COMPUTERS = 20;

    private static final Logger log = LoggerFactory.getLogger(SampleDataGenerator.class);

    private final TargetDatabases targets;
    private final Clock clock;

    public SampleDataGenerator(TargetDatabases targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    /** Adds sample data to the target database {@code database}, whose schema must exist. */
    public SampleCounts generate(String database, int alerts, int eventsPerDay, int days) {
        SampleCounts counts = generate(targets.dataSource(database), clock.instant(), alerts, eventsPerDay, days);
        log.info("Sample data added to {}: {} rows {}", database, counts.total(), counts.byTable());
        return counts;
    }

    public static SampleCounts generate(DataSource target, Instant now, int alerts, int eventsPerDay, int days) {
        if (alerts < 0 || eventsPerDay < 0 || days < 1 || days > 366) {
            throw new IllegalArgumentException("alerts and eventsPerDay must be >= 0 and days 1-366, were "
                    + alerts + ", " + eventsPerDay + ", " + days);
        }
        Instant end = now.truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime start = end.minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC);
        long events = (long) eventsPerDay * days;
        if (events > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("eventsPerDay x days must stay below " + Integer.MAX_VALUE);
        }
        JdbcClient jdbc = JdbcClient.create(target);
        return new TransactionTemplate(new DataSourceTransactionManager(target)).execute(tx -> {
            SampleSchema.ensurePartitions(target, start.toLocalDate(), LocalDate.ofInstant(end, ZoneOffset.UTC).plusDays(1));
            long rules = jdbc.sql("""
                    insert into monitored.rule_config (rule_name, enabled, severity, threshold)
                    select 'rule-' || lpad(g::text, 2, '0'), g % 7 <> 0, g % 5, g * 10.0
                    from generate_series(1, :rules) g
                    on conflict do nothing""").param("rules", RULES).update();
            long computers = jdbc.sql("""
                    insert into monitored.computer (domain, name, os_version)
                    select 'demo.local', 'host-' || lpad(g::text, 3, '0'),
                           (array['linux-6.1', 'windows-2022', 'linux-5.15'])[1 + g % 3]
                    from generate_series(1, :computers) g
                    on conflict do nothing""").param("computers", COMPUTERS).update();
            long lookups = jdbc.sql("""
                    insert into monitored.computer_lookup (computer_id, display_name, health_state)
                    select c.id, c.name || '.' || c.domain, 'healthy'
                    from monitored.computer c
                    where not exists (select 1 from monitored.computer_lookup l where l.computer_id = c.id)""").update();
            long[] eventCounts = jdbc.sql("""
                    with c as (select array_agg(id order by id) ids from monitored.computer),
                         r as (select array_agg(id order by id) ids from monitored.rule_config),
                    e as (
                        insert into monitored.event (computer_id, rule_id, severity, message, event_time)
                        select c.ids[1 + g % cardinality(c.ids)], r.ids[1 + g % cardinality(r.ids)], g % 5,
                               'sample event ' || g, :start + make_interval(secs => g * :step)
                        from generate_series(0, :events - 1) g, c, r
                        returning id, event_time),
                    p as (
                        insert into monitored.event_parameter (event_id, event_time, position, value)
                        select e.id, e.event_time, k, case k when 1 then 'source=agent' else 'code=' || e.id % 1000 end
                        from e cross join generate_series(1, 2) k
                        returning 1),
                    s as (
                        insert into monitored.sample_numeric (computer_id, counter, value, sampled_at)
                        select c.ids[1 + g % cardinality(c.ids)], (array['cpu', 'memory', 'disk'])[1 + g % 3],
                               (g::bigint * 37) % 100, :start + make_interval(secs => g * :step)
                        from generate_series(0, :events - 1) g, c
                        returning 1)
                    select (select count(*) from e), (select count(*) from p), (select count(*) from s)""")
                    .param("start", start)
                    .param("step", eventsPerDay == 0 ? 0.0 : 86_400.0 / eventsPerDay)
                    .param("events", (int) events)
                    .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).single();
            long[] alertCounts = jdbc.sql("""
                    with c as (select array_agg(id order by id) ids from monitored.computer),
                         r as (select array_agg(id order by id) ids from monitored.rule_config),
                    a as (
                        insert into monitored.alert (computer_id, rule_id, severity, state, repeat_count, raised_at, resolved_at)
                        select c.ids[1 + g % cardinality(c.ids)], r.ids[1 + g % cardinality(r.ids)], g % 5,
                               (array['new', 'acknowledged', 'resolved'])[1 + g % 3], g % 4,
                               :start + make_interval(secs => g * :step),
                               case when g % 3 = 2 then :start + make_interval(secs => g * :step + 600) end
                        from generate_series(0, :alerts - 1) g, c, r
                        returning id, state),
                    n as (select id, state, row_number() over (order by id) - 1 as rn from a),
                    h as (
                        insert into monitored.alert_history (alert_id, state, changed_by)
                        select n.id, v.state, v.changed_by
                        from n cross join lateral (values ('new', 'system'),
                             (n.state, case n.state when 'new' then 'system' else 'operator' end)) v(state, changed_by)
                        returning 1),
                    -- the events of this transaction (same created_at): each alert links to one of them
                    ev as (
                        select id, event_time, row_number() over (order by id) - 1 as rn
                        from monitored.event where created_at = now()),
                    -- a constant, so the join below is a hash join (an expression over both sides made
                    -- it a nested loop: alerts x events)
                    total as (select count(*) as events from ev),
                    l as (
                        insert into monitored.alert_event (alert_id, event_id, event_time)
                        select n.id, ev.id, ev.event_time from n join ev on ev.rn = n.rn % (select events from total)
                        returning 1)
                    select (select count(*) from a), (select count(*) from h), (select count(*) from l)""")
                    .param("start", start)
                    .param("step", alerts == 0 ? 0.0 : days * 86_400.0 / alerts)
                    .param("alerts", alerts)
                    .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).single();
            return new SampleCounts(rules, computers, lookups, alertCounts[0], alertCounts[1], alertCounts[2],
                    eventCounts[0], eventCounts[1], eventCounts[2]);
        });
    }
}
