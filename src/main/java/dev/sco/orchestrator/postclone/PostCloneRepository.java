package dev.sco.orchestrator.postclone;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Clones, their pre-clone snapshots, check runs and agent issues. Set-based SQL throughout. */
@Repository
class PostCloneRepository {

    /** The message operators see; the user is the agent's login on the instance. */
    static final String MESSAGE_SQL = "format('MID Server not operational (status: Down), possibly due to recent clone. "
            + "Verify credentials for logged in User ''%s''.', a.username)";

    private static final String ISSUE_COLUMNS = "id, agent, instance, clone_id, source, state, agent_status, message, "
            + "first_detected_at, last_detected_at, last_evaluated_at, detection_count, created_at, resolved_at, operator_note";

    private final JdbcClient jdbc;

    PostCloneRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Clone(String cloneId, String instance, Instant completedAt, String processInstanceId) {
    }

    record NewIssue(long id, String agent, String user, String message) {
    }

    /** Inserts the clone unless it is known; a concurrent duplicate waits for the first and then does nothing. */
    boolean insertClone(String cloneId, String instance, Instant completedAt, Instant reportedAt, String reportedBy) {
        return jdbc.sql("""
                insert into instance_clone (clone_id, instance, completed_at, reported_at, reported_by)
                values (?, ?, ?, ?, ?) on conflict (clone_id) do nothing""")
                .params(cloneId, instance, ts(completedAt), ts(reportedAt), reportedBy).update() == 1;
    }

    Optional<Clone> findClone(String cloneId) {
        return jdbc.sql("select clone_id, instance, completed_at, process_instance_id from instance_clone where clone_id = ?")
                .param(cloneId)
                .query((rs, i) -> new Clone(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4)))
                .optional();
    }

    void setCloneProcess(String cloneId, String processInstanceId) {
        jdbc.sql("update instance_clone set process_instance_id = ? where clone_id = ?")
                .params(processInstanceId, cloneId).update();
    }

    boolean instanceKnown(String instance) {
        return jdbc.sql("select exists (select 1 from agent where instance = ?)").param(instance)
                .query(Boolean.class).single();
    }

    /** Records the agents registered on the instance before the clone finished; re-running adds nothing. */
    int captureSnapshot(String cloneId, String instance, Instant completedAt) {
        jdbc.sql("""
                insert into clone_snapshot_agent (clone_id, agent)
                select ?, name from agent where instance = ? and created_at <= ?
                on conflict do nothing""")
                .params(cloneId, instance, ts(completedAt)).update();
        return jdbc.sql("select count(*) from clone_snapshot_agent where clone_id = ?").param(cloneId)
                .query(Integer.class).single();
    }

    /** Claims check {@code n} of a clone; false when that check already ran (a retried step). */
    boolean claimCheck(String cloneId, int checkNumber, Instant evaluatedAt) {
        return jdbc.sql("""
                insert into clone_check_run (clone_id, check_number, evaluated_at, agents_down)
                values (?, ?, ?, 0) on conflict do nothing""")
                .params(cloneId, checkNumber, ts(evaluatedAt)).update() == 1;
    }

    /**
     * One statement: every snapshot agent that is Down gets an open issue, or its open issue is
     * updated (last detected, evaluation, count). Returns how many agents were down.
     */
    int recordDownAgents(String cloneId, int checkNumber, Instant now) {
        int down = jdbc.sql("""
                insert into agent_issue as i (agent, instance, clone_id, source, state, agent_status, message,
                                              first_detected_at, last_detected_at, last_evaluated_at,
                                              detection_count, created_at)
                select a.name, a.instance, s.clone_id, 'InstanceClone', 'Open', a.status, %s, ?, ?, ?, 1, ?
                  from clone_snapshot_agent s join agent a on a.name = s.agent
                 where s.clone_id = ? and a.status = 'Down'
                on conflict (agent, source) where state <> 'Resolved' do update
                   set last_detected_at = excluded.last_detected_at,
                       last_evaluated_at = excluded.last_evaluated_at,
                       detection_count = i.detection_count + 1,
                       agent_status = excluded.agent_status,
                       message = excluded.message,
                       clone_id = excluded.clone_id""".formatted(MESSAGE_SQL))
                .params(ts(now), ts(now), ts(now), ts(now), cloneId).update();
        jdbc.sql("update clone_check_run set agents_down = ? where clone_id = ? and check_number = ?")
                .params(down, cloneId, checkNumber).update();
        return down;
    }

    /** Open issues of this clone that have no operator task process yet. */
    List<NewIssue> issuesWithoutOperatorProcess(String cloneId) {
        return jdbc.sql("""
                select i.id, i.agent, coalesce(a.username, ''), i.message
                  from agent_issue i left join agent a on a.name = i.agent
                 where i.clone_id = ? and i.state = 'Open' and i.operator_process_id is null
                 order by i.id""")
                .param(cloneId)
                .query((rs, n) -> new NewIssue(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    void setOperatorProcess(long issueId, String processInstanceId) {
        jdbc.sql("update agent_issue set operator_process_id = ? where id = ?").params(processInstanceId, issueId)
                .update();
    }

    /** The status rule: resolves every unresolved clone issue of the agent; returns the ids resolved. */
    List<Long> resolveCloneIssues(String agent, Instant now) {
        return jdbc.sql("""
                update agent_issue set state = 'Resolved', resolved_at = ?, agent_status = 'Up'
                 where agent = ? and source = 'InstanceClone' and state <> 'Resolved'
                returning id""")
                .params(ts(now), agent).query(Long.class).list();
    }

    Optional<AgentIssue> findIssue(long id) {
        return jdbc.sql("select " + ISSUE_COLUMNS + " from agent_issue where id = ?").param(id)
                .query(PostCloneRepository::issue).optional();
    }

    List<AgentIssue> issuesOfAgent(String agent) {
        return jdbc.sql("select " + ISSUE_COLUMNS + " from agent_issue where agent = ? order by created_at desc, id desc")
                .param(agent).query(PostCloneRepository::issue).list();
    }

    List<AgentIssue> issues(String state, String source, int limit) {
        return jdbc.sql("select " + ISSUE_COLUMNS + " " + """
                 from agent_issue
                 where (cast(? as text) is null or state = ?) and (cast(? as text) is null or source = ?)
                 order by id desc limit ?""")
                .params(state, state, source, source, limit).query(PostCloneRepository::issue).list();
    }

    void recordNote(long issueId, String note) {
        jdbc.sql("update agent_issue set operator_note = ? where id = ?").params(note, issueId).update();
    }

    Optional<String> agentStatus(String agent) {
        return jdbc.sql("select status from agent where name = ?").param(agent).query(String.class).optional();
    }

    boolean agentExists(String agent) {
        return jdbc.sql("select exists (select 1 from agent where name = ?)").param(agent).query(Boolean.class).single();
    }

    /** Deletes issues older than the cutoff under the policy; returns the operator processes of those that were open. */
    List<String> purge(PostCloneSettings.RetentionPolicy policy, Instant cutoff) {
        String column = policy == PostCloneSettings.RetentionPolicy.SINCE_CREATED ? "created_at" : "last_detected_at";
        return jdbc.sql("delete from agent_issue where " + column + " < ? returning "
                        + "case when state <> 'Resolved' then operator_process_id end")
                .param(ts(cutoff)).query((rs, n) -> rs.getString(1)).list();
    }

    void recordPurge(Instant ranAt, String policy, Instant cutoff, int removed) {
        jdbc.sql("insert into agent_issue_purge (ran_at, policy, cutoff, removed) values (?, ?, ?, ?)")
                .params(ts(ranAt), policy, ts(cutoff), removed).update();
    }

    private static AgentIssue issue(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new AgentIssue(rs.getLong("id"), rs.getString("agent"), rs.getString("instance"),
                rs.getString("clone_id"), rs.getString("source"), rs.getString("state"), rs.getString("agent_status"),
                rs.getString("message"), odt(rs.getTimestamp("first_detected_at")),
                odt(rs.getTimestamp("last_detected_at")), odt(rs.getTimestamp("last_evaluated_at")),
                rs.getInt("detection_count"), odt(rs.getTimestamp("created_at")), odt(rs.getTimestamp("resolved_at")),
                rs.getString("operator_note"));
    }

    private static OffsetDateTime odt(Timestamp ts) {
        return ts == null ? null : ts.toInstant().atOffset(ZoneOffset.UTC);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
