package dev.sco.orchestrator.pause;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The sensors' pause check on the bench's own database (its constructors are package-private). */
public final class BenchPauses {

    private BenchPauses() {
    }

    public static Pauses create(JdbcClient jdbc) {
        return new Pauses(new PauseRepository(jdbc));
    }
}
