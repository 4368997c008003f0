package dev.sco.orchestrator.platform.decision;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** Lets benchmarks outside Spring build the recorder the sensors use (its constructor is package-private). */
public final class BenchDecisionRecorders {

    private BenchDecisionRecorders() {
    }

    public static DecisionRecorder create(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        return new DecisionRecorder(jdbc, transactionManager);
    }
}
