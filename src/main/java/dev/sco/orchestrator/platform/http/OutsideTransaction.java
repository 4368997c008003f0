package dev.sco.orchestrator.platform.http;

import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a callout with the caller's transaction suspended. A process step always runs inside the
 * engine's transaction; an HTTP call made there would keep that transaction (and whatever it has
 * locked) open for as long as the receiver takes. Suspended, the call runs on no transaction at
 * all, and any database access it made would commit on its own. Steps that call out therefore do
 * their database work in an earlier step (which has committed), and write nothing before the call
 * but their step-ledger row.
 */
@Component
public class OutsideTransaction {

    private final TransactionTemplate notSupported;

    OutsideTransaction(PlatformTransactionManager transactions) {
        this.notSupported = new TransactionTemplate(transactions);
        this.notSupported.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
    }

    public <T> T call(Supplier<T> work) {
        return notSupported.execute(status -> work.get());
    }
}
