package dev.sco.orchestrator.dbfailover;

import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param statementTimeout how long one enable or disable statement of a database job may run on its
 *                         database (a {@code SET LOCAL statement_timeout} around it); between 1s and 10 min
 */
@ConfigurationProperties("orchestrator.database-jobs")
public record DatabaseJobSettings(@DefaultValue("30s") Duration statementTimeout) {

    public DatabaseJobSettings {
        if (statementTimeout == null || statementTimeout.toMillis() < 1000 || statementTimeout.toMinutes() > 10) {
            throw new InvalidSettingException("ORCHESTRATOR_DATABASE_JOBS_STATEMENT_TIMEOUT",
                    "must be between 1s and 10m");
        }
    }
}
