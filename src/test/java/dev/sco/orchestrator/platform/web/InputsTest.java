package dev.sco.orchestrator.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputsTest {

    @Test
    void namesAreOneTo128LettersDigitsDotsUnderscoresAndHyphens() {
        assertThat(Inputs.isName("mid-01.prod_eu")).isTrue();
        assertThat(Inputs.isName("x".repeat(128))).isTrue();
        assertThat(Inputs.isName("x".repeat(129))).isFalse();
        assertThat(Inputs.isName("")).isFalse();
        assertThat(Inputs.isName("a b")).isFalse();
        assertThat(Inputs.isName("a/b")).isFalse();
        assertThat(Inputs.isName("a;drop")).isFalse();
        assertThat(Inputs.isName("été")).isFalse();
        assertThat(Inputs.isName("a\n")).isFalse();
    }

    @Test
    void refusalNamesTheField() {
        assertThatThrownBy(() -> Inputs.name("consumer", "a b"))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).isEqualTo("consumer"));
        assertThatThrownBy(() -> Inputs.name("consumer", null))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.detail()).contains("required"));
        assertThatThrownBy(() -> Inputs.range("period", 0, 1, 10))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).isEqualTo("period"));
    }
}
