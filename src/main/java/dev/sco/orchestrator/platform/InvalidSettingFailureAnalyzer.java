package dev.sco.orchestrator.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a rejected setting into a short start-up report instead of a stack trace. */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
        return new FailureAnalysis(
                "The orchestrator refuses to start: " + cause.getMessage(),
                "Fix the setting " + cause.setting() + " (see docs/configuration.md) and start again.",
                cause);
    }
}
