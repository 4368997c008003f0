package dev.sco.orchestrator.platform.rails;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The step ledger ({@code operation_step}). Writes join the caller's transaction, which for a
 * process step is the engine's own: a step that fails leaves no row, a step that completed always
 * has one. Features check their operation's state first, then call {@link #record}.
 */
@Component
public class OperationSteps {

    /** Who acted when no person did. */
    public static final String ORCHESTRATOR = "orchestrator";

    private final JdbcClient jdbc;
    private final Clock clock;

    OperationSteps(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Records a completed step. A step that is not {@code repeatable} and already has a row is
     * refused with {@link StepRefusedException}: it ran once for this operation already.
     */
    public void record(String processInstanceId, String step, String operation, String actor, String outcome,
                       boolean repeatable) {
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.sql("""
                insert into operation_step (process_instance_id, step, operation, actor, outcome, done_at)
                values (?, ?, ?, ?, ?, ?) on conflict (process_instance_id, step) do nothing""")
                .params(processInstanceId, step, operation, actor, outcome, now).update();
        if (inserted == 1) {
            return;
        }
        if (!repeatable) {
            throw new StepRefusedException("Step " + step + " of " + operation + " (process " + processInstanceId
                    + ") has already run; a step with a side effect runs once per operation");
        }
        jdbc.sql("""
                update operation_step set runs = runs + 1, done_at = ?, actor = ?, outcome = ?
                 where process_instance_id = ? and step = ?""")
                .params(now, actor, outcome, processInstanceId, step).update();
    }

    public boolean done(String processInstanceId, String step) {
        return jdbc.sql("select exists (select 1 from operation_step where process_instance_id = ? and step = ?)")
                .params(processInstanceId, step).query(Boolean.class).single();
    }

    /** Who took a recorded decision step, and its outcome. */
    public record Decision(String actor, String outcome) {
    }

    public Optional<Decision> decision(String processInstanceId, String step) {
        return jdbc.sql("select actor, outcome from operation_step where process_instance_id = ? and step = ?")
                .params(processInstanceId, step)
                .query((rs, i) -> new Decision(rs.getString(1), rs.getString(2))).optional();
    }
}
