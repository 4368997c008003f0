package dev.sco.orchestrator.postclone;

import java.util.List;

import dev.sco.orchestrator.platform.forms.FormChoices;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The instances agents are registered for: what the clone check's start form offers. */
@Component
class InstanceChoices implements FormChoices {

    private final JdbcClient jdbc;

    InstanceChoices(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "instances";
    }

    @Override
    public List<String> values() {
        return jdbc.sql("select distinct instance from agent where instance is not null order by instance limit ?")
                .param(MAX).query(String.class).list();
    }
}
