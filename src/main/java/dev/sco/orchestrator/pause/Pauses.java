package dev.sco.orchestrator.pause;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * What the sensors ask before acting: is this target held? A target is held while a pause of it
 * is active (also past its {@code until}, until the watchdog has ended it and looked at the
 * target's health: so nothing acts between {@code until} and that look) and, after a pause that
 * ended with the target unhealthy, until an operator has completed the review task. One statement
 * per sensor pass, whatever the number of targets.
 */
@Component
public class Pauses {

    /**
     * Why the sensors leave a target alone.
     *
     * @param reviewPending the pause has ended with the target unhealthy; an operator's review is open
     */
    public record Hold(long pauseId, TargetKind kind, String target, boolean reviewPending, String reason,
                       String pausedBy, Instant until, Instant endedAt, String reviewProcessInstanceId) {

        /**
         * The reason of a sensor's "paused" decision. It does not change from pass to pass, so the
         * passes of one pause coalesce into one decision record.
         */
        public String describe() {
            if (reviewPending) {
                return "maintenance pause " + pauseId + " ended at " + endedAt + " with the " + kind + " unhealthy: "
                        + "no action until an operator completes the review (task 'Review target after pause', "
                        + "process " + reviewProcessInstanceId + ")";
            }
            return "maintenance pause " + pauseId + " by " + pausedBy + " until " + until + " (" + reason
                    + "): no action";
        }
    }

    private final PauseRepository repository;

    Pauses(PauseRepository repository) {
        this.repository = repository;
    }

    /** The held targets of a kind, by name. */
    public Map<String, Hold> held(TargetKind kind) {
        return repository.held(kind).stream().collect(Collectors.toMap(Hold::target, Function.identity()));
    }
}
