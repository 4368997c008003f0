package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@OrchestratorTest
class ScriptRunnerTest {

    private static final String DB = "demo-primary";

    @Autowired
    ScriptRunner scripts;
    @Autowired
    TargetDatabases targets;

    @BeforeEach
    void dropTestSchema() {
        targets.jdbc(DB).sql("drop schema if exists script_test cascade").update();
    }

    @Test
    void realRunCommitsAndReportsEachStatementsRowCount() {
        ScriptRun run = scripts.run(DB, "test-ledger", Map.of("suffix", " (checked)"), false);

        assertThat(run.dryRun()).isFalse();
        assertThat(run.statements()).extracting(StatementResult::rows).containsExactly(0L, 0L, 5L, 2L, 0L, 5L);
        assertThat(run.statements()).extracting(StatementResult::query)
                .containsExactly(false, false, false, false, false, true);
        assertThat(run.statements().get(4).notices()).containsExactly("ledger has 5 rows");
        assertThat(run.statements().get(2).summary()).startsWith("INSERT INTO script_test.ledger");
        assertThat(targets.jdbc(DB).sql("select note from script_test.ledger where id = 1").query(String.class).single())
                .isEqualTo("entry; 1 (checked)");
    }

    @Test
    void dryRunRunsEverythingAndLeavesNothing() {
        ScriptRun run = scripts.run(DB, "test-ledger", Map.of("suffix", "!"), true);

        assertThat(run.dryRun()).isTrue();
        assertThat(run.totalRows()).isEqualTo(12);
        assertThat(schemaExists()).isFalse();
    }

    @Test
    void aFailingStatementRollsBackTheWholeScript() {
        assertThatThrownBy(() -> scripts.run(DB, "test-ledger-failing", false))
                .isInstanceOfSatisfying(ScriptFailedException.class, e -> {
                    assertThat(e.statementIndex()).isEqualTo(4);
                    assertThat(e.getMessage()).contains("duplicate key").contains("rolled back");
                });
        assertThat(schemaExists()).isFalse();
    }

    @Test
    void refusesMissingAndUndeclaredParametersBeforeRunningAnything() {
        assertThatThrownBy(() -> scripts.run(DB, "test-ledger", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs parameter(s) [suffix]");
        assertThatThrownBy(() -> scripts.run(DB, "test-ledger", Map.of("suffix", "x", "other", "y"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no parameter(s) [other]");
        assertThat(schemaExists()).isFalse();
    }

    @Test
    void rejectsUnknownScriptsBadNamesAndBadParameterNames() {
        assertThatThrownBy(() -> scripts.run(DB, "no-such-script", false)).isInstanceOf(UnknownScriptException.class);
        assertThatThrownBy(() -> scripts.run(DB, "../migration/V1__estate", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scripts.run(DB, "Make-Sync-Target", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scripts.run("no-such-database", "test-ledger", false))
                .isInstanceOf(UnknownDatabaseException.class);
        assertThatThrownBy(() -> scripts.run(DB, "test-ledger", Map.of("bad name", "x"), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scripts.run(DB, "test-commits-itself", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transaction");
        assertThat(scripts.exists("make-sync-target")).isTrue();
        assertThat(scripts.exists("../x")).isFalse();
        assertThat(schemaExists()).isFalse();
    }

    private boolean schemaExists() {
        return targets.jdbc(DB).sql("select exists (select 1 from pg_namespace where nspname = 'script_test')")
                .query(Boolean.class).single();
    }
}
