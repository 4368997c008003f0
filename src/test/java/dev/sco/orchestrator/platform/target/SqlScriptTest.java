package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void readsDeclaredParametersFromCommentLines() {
        SqlScript script = SqlScript.parse("p", """
                -- @param cutoff
                -- @param schema optional
                select current_setting('sco.cutoff');
                """);
        assertThat(script.requiredParameters()).containsExactly("cutoff");
        assertThat(script.optionalParameters()).containsExactly("schema");
        assertThat(script.statements()).containsExactly("select current_setting('sco.cutoff')");
        assertThat(script.checkParameters(Map.of("cutoff", "1"))).containsKey("cutoff");
        assertThatThrownBy(() -> script.checkParameters(Map.of("schema", "x"))).hasMessageContaining("[cutoff]");
        assertThatThrownBy(() -> script.checkParameters(Map.of("cutoff", "1", "limit", "2"))).hasMessageContaining("[limit]");
    }

    @Test
    void operationalScriptsAreFoundByNameOnly() {
        assertThat(SqlScript.operational("make-sync-target").requiredParameters()).containsExactly("schema");
        assertThatThrownBy(() -> SqlScript.operational("../sample/monitored-schema"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlScript.operational("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlScript.operational("missing")).isInstanceOf(UnknownScriptException.class);
    }

    @Test
    void refusesScriptsThatControlTheTransaction() {
        assertThatThrownBy(() -> SqlScript.parse("t", "begin; select 1; commit;"))
                .hasMessageContaining("controls the transaction");
        assertThat(SqlScript.parse("t", "do $$ begin perform 1; end $$;").statements()).hasSize(1);
    }
}
