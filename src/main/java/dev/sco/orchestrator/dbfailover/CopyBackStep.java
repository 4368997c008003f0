package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.util.Date;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Copies the failover database back onto the primary: a long step (external task {@value #TOPIC})
 * whose lock the worker extends while the copy runs, so it runs on one node at a time however long
 * it takes. Safe to run again: the copy truncates and fills the primary in one transaction. The
 * copy is a clone of the instance's database, so it also sets what the post-clone check needs
 * (clone id and completion time).
 */
@Component
class CopyBackStep extends OperationLongStep {

    static final String TOPIC = "copy-back";

    private final RestorationService service;
    private final Clock clock;
    private final FencingMethods fencing;

    CopyBackStep(OperationGuard guard, RestorationService service, Clock clock, FencingMethods fencing) {
        super(guard, TOPIC);
        this.service = service;
        this.clock = clock;
        this.fencing = fencing;
    }

    @Override
    Map<String, Object> work(ContinuityOperation op) {
        long id = op.id();
        // The copy writes to the primary: a fencing agent that cut it off must let it in first.
        fencing.unfenceByMethod(service.restoredFailover(id), id, op.kind(), op.database());
        long rows = service.copyBack(id);
        return Map.of("rowsCopiedBack", rows, DatabaseRestorationProcess.VAR_CLONE_ID, "restore-" + id,
                DatabaseRestorationProcess.VAR_COMPLETED_AT, Date.from(clock.instant()));
    }
}
