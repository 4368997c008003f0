package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.ClusterNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two orchestrator nodes on one orchestrator database, in one JVM: Quartz fires each trigger once
 * across both, and an engine job left behind by a node that stopped is finished by the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterTest {

    private EmbeddedPostgres database;
    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeB;

    @BeforeAll
    void startTwoNodes() throws Exception {
        database = EmbeddedPostgres.builder().start();
        nodeA = startNode("node-a");
        nodeB = startNode("node-b");
    }

    @AfterAll
    void stopNodes() throws Exception {
        ClockUtil.reset();
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null && nodeA.isActive()) {
            nodeA.close();
        }
        database.close();
    }

    private ConfigurableApplicationContext startNode(String name) {
        return ClusterNode.start(database, name, "two-node-cluster", Map.of());
    }

    @Test
    @Order(1)
    void quartzFiresEachTriggerOnceAcrossBothNodes() throws Exception {
        JdbcClient jdbc = JdbcClient.create(nodeA.getBean(DataSource.class));
        jdbc.sql("create table if not exists quartz_fire_probe (fire_time timestamptz not null, node text not null)")
                .update();
        Scheduler schedulerA = nodeA.getBean(Scheduler.class);
        int fires = 8;
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("fire-once-probe", "tests").startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(250)
                        .withRepeatCount(fires - 1))
                .build();
        schedulerA.scheduleJob(JobBuilder.newJob(RecordFireJob.class).withIdentity("fire-once-probe", "tests").build(),
                trigger);

        await().atMost(Duration.ofSeconds(60)).until(() ->
                jdbc.sql("select count(*) from quartz_fire_probe").query(Long.class).single() >= fires);

        List<Long> perFireTime = jdbc.sql("select count(*) from quartz_fire_probe group by fire_time")
                .query(Long.class).list();
        assertThat(perFireTime).hasSize(fires).allMatch(count -> count == 1);
        assertThat(nodeB.getBean(Scheduler.class).getMetaData().isJobStoreClustered()).isTrue();
    }

    @Test
    @Order(2)
    void engineJobLeftByAStoppedNodeIsFinishedByTheOther() {
        ProcessEngine engineA = nodeA.getBean(ProcessEngine.class);
        ProcessEngine engineB = nodeB.getBean(ProcessEngine.class);
        BpmnModelInstance model = Bpmn.createExecutableProcess("clusterProbeProcess")
                .camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Probe")
                .intermediateCatchEvent("Timer_Later").timerWithDuration("PT1H")
                .serviceTask("ServiceTask_RecordNode")
                .camundaExpression("${execution.setVariable('executedBy', execution.processEngine.name)}")
                .userTask("UserTask_Done")
                .endEvent()
                .done();
        engineA.getRepositoryService().createDeployment().addModelInstance("cluster-probe.bpmn", model).deploy();
        ProcessInstance instance = engineA.getRuntimeService().startProcessInstanceByKey("clusterProbeProcess");
        Job timer = engineA.getManagementService().createJobQuery().processInstanceId(instance.getId()).singleResult();
        // Node A acquired the timer and died holding the lock: the lock outlives it by five minutes.
        JdbcClient.create(nodeA.getBean(DataSource.class))
                .sql("update act_ru_job set lock_owner_ = 'node-a-dead', lock_exp_time_ = ? where id_ = ?")
                .params(new Date(System.currentTimeMillis() + Duration.ofHours(1).plusMinutes(5).toMillis()), timer.getId())
                .update();
        nodeA.close();

        ClockUtil.setCurrentTime(new Date(System.currentTimeMillis() + Duration.ofHours(2).toMillis()));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                engineB.getTaskService().createTaskQuery().processInstanceId(instance.getId()).count() == 1);
        assertThat(engineB.getRuntimeService().getVariable(instance.getId(), "executedBy")).isEqualTo("nodeb");
    }

    /** Records each fire time and the node that fired it. */
    public static class RecordFireJob implements org.quartz.Job {

        @Autowired
        DataSource dataSource;

        @Override
        public void execute(JobExecutionContext context) {
            JdbcClient.create(dataSource).sql("insert into quartz_fire_probe (fire_time, node) values (?, ?)")
                    .params(context.getScheduledFireTime(), context.getFireInstanceId()).update();
        }
    }
}
