package dev.sco.orchestrator.postclone;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Both retention policies, with a fixed clock. */
@OrchestratorTest
class RetentionTest {

    /** Real time, so the purge touches only this test's old rows, not those of other tests in the shared database. */
    private static final Instant NOW = Instant.now();

    @Autowired
    PostCloneRepository repository;
    @Autowired
    PostCloneProcesses processes;
    @Autowired
    JdbcClient jdbc;

    private final String agentPrefix = "ret-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void sinceLastDetectedRemovesIssuesNotSeenForThirtyDays() {
        long stale = issue("stale", "Open", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(31)));
        long recent = issue("recent", "Open", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(29)));
        long staleResolved = issue("old-resolved", "Resolved", NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(45)));

        int removed = service("since-last-detected").purge();

        assertThat(removed).isGreaterThanOrEqualTo(2);
        assertThat(exists(stale)).isFalse();
        assertThat(exists(staleResolved)).isFalse();
        assertThat(exists(recent)).isTrue();
        assertThat(lastPurge()).isEqualTo("since-last-detected");
    }

    @Test
    void sinceCreatedRemovesIssuesTenDaysAfterCreationWhateverTheirState() {
        long oldButActive = issue("active", "Open", NOW.minus(Duration.ofDays(11)), NOW.minus(Duration.ofHours(1)));
        long young = issue("young", "Resolved", NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(9)));

        service("since-created").purge();

        assertThat(exists(oldButActive)).isFalse();
        assertThat(exists(young)).isTrue();
        assertThat(lastPurge()).isEqualTo("since-created");
    }

    private PostCloneService service(String policy) {
        PostCloneSettings settings = new PostCloneSettings(Duration.ofMinutes(15), Duration.ofMinutes(75),
                new PostCloneSettings.Retention(policy, Duration.ofDays(30), Duration.ofDays(10), "0 30 3 * * ?"));
        return new PostCloneService(repository, processes, settings, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private long issue(String agent, String state, Instant created, Instant lastDetected) {
        return jdbc.sql("""
                insert into agent_issue (agent, instance, source, state, agent_status, message, first_detected_at,
                                         last_detected_at, last_evaluated_at, created_at)
                values (?, 'retention', 'InstanceClone', ?, 'Down', 'm', ?, ?, ?, ?) returning id""")
                .params(agentPrefix + "-" + agent, state, Timestamp.from(created), Timestamp.from(lastDetected),
                        Timestamp.from(lastDetected), Timestamp.from(created))
                .query(Long.class).single();
    }

    private boolean exists(long id) {
        return jdbc.sql("select count(*) from agent_issue where id = ?").param(id).query(Long.class).single() == 1;
    }

    private String lastPurge() {
        return jdbc.sql("select policy from agent_issue_purge order by id desc limit 1").query(String.class).single();
    }
}
