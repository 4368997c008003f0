package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlStatementSplitterTest {

    @Test
    void splitsAtTopLevelSemicolonsAndDropsEmptyStatements() {
        assertThat(SqlStatementSplitter.split("select 1; select 2;;\n ; select 3"))
                .containsExactly("select 1", "select 2", "select 3");
    }

    @Test
    void keepsSemicolonsInsideStringLiteralsIncludingDoubledQuotes() {
        assertThat(SqlStatementSplitter.split("insert into t values ('a;b', 'it''s; fine'); select 2"))
                .containsExactly("insert into t values ('a;b', 'it''s; fine')", "select 2");
    }

    @Test
    void escapeStringsMayHideAQuoteBehindABackslash() {
        assertThat(SqlStatementSplitter.split("select E'it\\'s;here'; select 'back\\'; select 3"))
                .containsExactly("select E'it\\'s;here'", "select 'back\\'", "select 3");
    }

    @Test
    void wordEndingInEBeforeAQuoteIsNotAnEscapeString() {
        assertThat(SqlStatementSplitter.split("select type'\\'; select 2"))
                .containsExactly("select type'\\'", "select 2");
    }

    @Test
    void keepsSemicolonsInsideQuotedIdentifiers() {
        assertThat(SqlStatementSplitter.split("create table \"a;\"\"b\" (x int); drop table \"a;\"\"b\""))
                .containsExactly("create table \"a;\"\"b\" (x int)", "drop table \"a;\"\"b\"");
    }

    @Test
    void ignoresSemicolonsAndQuotesInLineComments() {
        assertThat(SqlStatementSplitter.split("-- leading; comment 'x\nselect 1 -- trailing; it's\n; select 2"))
                .containsExactly("select 1 -- trailing; it's", "select 2");
    }

    @Test
    void ignoresSemicolonsInNestedBlockComments() {
        assertThat(SqlStatementSplitter.split("/* a; /* nested; */ still; */ select 1; select /* ; */ 2"))
                .containsExactly("select 1", "select /* ; */ 2");
    }

    @Test
    void keepsDollarQuotedBodiesWhole() {
        String doBlock = """
                DO $$
                BEGIN
                  RAISE NOTICE 'one;';
                  PERFORM 1;
                END
                $$""";
        assertThat(SqlStatementSplitter.split(doBlock + ";\nselect 2;")).containsExactly(doBlock, "select 2");
    }

    @Test
    void taggedDollarQuotesMayContainOtherDollarQuotes() {
        String function = """
                create function f() returns text language plpgsql as $body$
                begin
                  execute $q$select ';'$q$;
                  return $$;$$;
                end
                $body$""";
        assertThat(SqlStatementSplitter.split(function + "; select f()")).containsExactly(function, "select f()");
    }

    @Test
    void positionalParametersAndDollarsInIdentifiersAreNotQuotes() {
        assertThat(SqlStatementSplitter.split("prepare p as select $1; select a$b$ from t; select 3"))
                .containsExactly("prepare p as select $1", "select a$b$ from t", "select 3");
    }

    @Test
    void scriptOfOnlyCommentsHasNoStatements() {
        assertThat(SqlStatementSplitter.split("-- nothing\n/* here; */\n  ;\n")).isEmpty();
    }

    @Test
    void rejectsUnterminatedConstructs() {
        assertThatThrownBy(() -> SqlStatementSplitter.split("select 'open; select 2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("string");
        assertThatThrownBy(() -> SqlStatementSplitter.split("do $x$ begin end; select 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$x$");
        assertThatThrownBy(() -> SqlStatementSplitter.split("select 1 /* open"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comment");
    }
}
