package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerMetaData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;

/** Spring can silently replace the configured job store: check what actually runs. */
@OrchestratorTest
class QuartzClusterTest {

    @Autowired
    Scheduler scheduler;

    @Autowired
    JdbcClient jdbc;

    @Test
    void runningSchedulerIsClusteredAndPersistent() throws Exception {
        SchedulerMetaData meta = scheduler.getMetaData();

        assertThat(meta.isStarted()).isTrue();
        assertThat(meta.isJobStoreClustered()).isTrue();
        assertThat(meta.isJobStoreSupportsPersistence()).isTrue();
        assertThat(meta.getJobStoreClass()).isEqualTo(LocalDataSourceJobStore.class);
        assertThat(meta.getSchedulerInstanceId()).isNotEqualTo("NON_CLUSTERED");
    }

    @Test
    void schedulerChecksInToTheClusterTable() throws Exception {
        String instanceId = scheduler.getSchedulerInstanceId();

        long rows = jdbc.sql("select count(*) from qrtz_scheduler_state where sched_name = ? and instance_name = ?")
                .params(scheduler.getSchedulerName(), instanceId).query(Long.class).single();

        assertThat(rows).isEqualTo(1);
    }

    @Test
    void jobsAreStoredInTheOrchestratorDatabase() throws Exception {
        JobKey key = JobKey.jobKey("persistence-probe", "tests");
        JobDetail job = JobBuilder.newJob(NoOpJob.class).withIdentity(key).storeDurably().build();
        scheduler.addJob(job, true);
        try {
            long rows = jdbc.sql("select count(*) from qrtz_job_details where job_name = ? and job_group = ?")
                    .params(key.getName(), key.getGroup()).query(Long.class).single();
            assertThat(rows).isEqualTo(1);
        } finally {
            scheduler.deleteJob(key);
        }
    }

    public static class NoOpJob implements org.quartz.Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {
            // stored only, never triggered
        }
    }
}
