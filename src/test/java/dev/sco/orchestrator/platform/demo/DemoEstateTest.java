package dev.sco.orchestrator.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@OrchestratorTest
class DemoEstateTest {

    @Autowired
    DemoEstate demoEstate;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TargetDatabases targets;

    @Test
    void registersBothDemoDatabasesAsAPairOnTheEmbeddedServers() {
        List<Map<String, Object>> endpoints = jdbc.sql("""
                select name, role, paired_with, jdbc_url from database_endpoint
                where name in ('demo-primary', 'demo-failover') order by name""").query().listOfRows();
        assertThat(endpoints).extracting(row -> row.get("name") + ":" + row.get("role") + ":" + row.get("paired_with"))
                .containsExactly("demo-failover:failover:demo-primary", "demo-primary:primary:demo-failover");
        assertThat(targets.jdbc("demo-primary").sql("select count(*) from monitored.alert").query(Long.class).single())
                .isGreaterThanOrEqualTo(DemoEstate.ALERTS);
    }

    @Test
    void registersAConsumerRoleOfItsOwnThatMayWriteTheMonitoredSchema() {
        assertThat(jdbc.sql("select array_to_string(consumer_roles, ',') from database_endpoint "
                + "where name in ('demo-primary', 'demo-failover')").query(String.class).list())
                .containsOnly(DemoEstate.CONSUMER_ROLE);
        for (String database : List.of("demo-primary", "demo-failover")) {
            assertThat(targets.jdbc(database).sql("""
                    select not r.rolsuper and has_table_privilege(r.oid, 'monitored.alert', 'INSERT')
                      from pg_roles r where r.rolname = ?""").param(DemoEstate.CONSUMER_ROLE)
                    .query(Boolean.class).single()).as(database).isTrue();
        }
    }

    @Test
    void bindsTheManagementServersToThePrimaryAndGivesEveryAgentAChain() {
        assertThat(jdbc.sql("select consumer from binding where database = 'demo-primary' order by consumer")
                .query(String.class).list()).contains("ms-east-1", "ms-east-2", "ms-west-1");
        assertThat(jdbc.sql("select standby from server where name = 'ms-east-1'").query(String.class).single())
                .isEqualTo("ms-east-2");
        List<Map<String, Object>> agents = jdbc.sql("""
                select a.name, a.registration, a.managed_by, count(c.position) as chain_length,
                       min(c.server) filter (where c.position = 0) as first
                from agent a join agent_chain c on c.agent = a.name
                where a.instance = 'demo-instance' group by a.name, a.registration, a.managed_by""").query().listOfRows();
        assertThat(agents).hasSize(6);
        assertThat(agents).allSatisfy(agent -> {
            assertThat((Long) agent.get("chain_length")).isGreaterThanOrEqualTo(2);
            assertThat(agent.get("first")).isEqualTo(agent.get("managed_by"));
        });
        assertThat(agents).extracting(agent -> agent.get("registration")).contains("automatic", "manual");
        assertThat(jdbc.sql("select primary_hub || '/' || secondary_hub from hub_pair where name = 'hubs-demo'")
                .query(String.class).single()).isEqualTo("hub-a/hub-b");
    }

    @Test
    void runsMaintenanceJobsOnThePrimaryOnlyAndGroomingOnBoth() {
        String enabled = "select string_agg(name, ',' order by name) from monitored.scheduled_job where enabled";
        assertThat(targets.jdbc("demo-primary").sql(enabled).query(String.class).single())
                .isEqualTo("alert-resolution-sweep,grooming-and-partitioning,index-maintenance");
        assertThat(targets.jdbc("demo-failover").sql(enabled).query(String.class).single())
                .isEqualTo("grooming-and-partitioning");
        List<String> registered = jdbc.sql("""
                select database || ':' || name || ':' || kind || ':' || (enable_sql is not null) from database_job
                 where database in ('demo-primary', 'demo-failover') order by 1""")
                .query(String.class).list();
        assertThat(registered).hasSize(6).contains("demo-failover:index-maintenance:maintenance:true",
                "demo-primary:grooming-and-partitioning:grooming:true");
        assertThat(jdbc.sql("select schedule from database_job where database = 'demo-primary' and kind = 'grooming'")
                .query(String.class).single()).isEqualTo("0 0 * * *");
    }

    @Test
    void makesTheFailoverDatabaseASyncTarget() {
        JdbcClient failover = targets.jdbc("demo-failover");
        assertThat(failover.sql("""
                select count(*) from pg_constraint c join pg_namespace n on n.oid = c.connamespace
                where n.nspname = 'monitored' and c.contype in ('f', 'p', 'u')""").query(Long.class).single()).isZero();
        assertThat(failover.sql("""
                select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'monitored' and t.tgenabled <> 'D'""").query(Long.class).single()).isZero();
        // Its rows come from sync runs only (other tests of this context sync the demo pair), never
        // from the install: the failover side holds no more than the primary.
        assertThat(failover.sql("select count(*) from monitored.alert").query(Long.class).single())
                .isLessThanOrEqualTo(targets.jdbc("demo-primary").sql("select count(*) from monitored.alert")
                        .query(Long.class).single());
    }

    @Test
    void runningAgainChangesNothingAndKeepsWhatOperatorsChanged() {
        Map<String, Long> before = estateCounts();
        long alerts = targets.jdbc("demo-primary").sql("select count(*) from monitored.alert").query(Long.class).single();
        jdbc.sql("update server set unresponsive_period_seconds = 97 where name = 'ms-west-1'").update();
        jdbc.sql("update binding set database = 'demo-failover' where consumer = 'ms-west-1'").update();
        try {
            demoEstate.install();

            assertThat(estateCounts()).isEqualTo(before);
            assertThat(targets.jdbc("demo-primary").sql("select count(*) from monitored.alert").query(Long.class).single())
                    .isEqualTo(alerts);
            assertThat(jdbc.sql("select unresponsive_period_seconds from server where name = 'ms-west-1'")
                    .query(Integer.class).single()).isEqualTo(97);
            assertThat(jdbc.sql("select database from binding where consumer = 'ms-west-1'").query(String.class).single())
                    .isEqualTo("demo-failover");
        } finally {
            jdbc.sql("update server set unresponsive_period_seconds = 180 where name = 'ms-west-1'").update();
            jdbc.sql("update binding set database = 'demo-primary' where consumer = 'ms-west-1'").update();
        }
    }

    private Map<String, Long> estateCounts() {
        return Map.of(
                "database_endpoint", count("database_endpoint"),
                "server", count("server"),
                "agent", count("agent"),
                "agent_chain", count("agent_chain"),
                "hub_pair", count("hub_pair"),
                "binding", count("binding"));
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
