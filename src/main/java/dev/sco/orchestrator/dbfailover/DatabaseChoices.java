package dev.sco.orchestrator.dbfailover;

import java.util.List;

import dev.sco.orchestrator.platform.forms.FormChoices;
import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.springframework.stereotype.Component;

/**
 * The registered primary databases that have a failover partner, by name: what the start forms of
 * a failover or drill, a restoration and a sync recovery offer.
 */
@Component
class DatabaseChoices implements FormChoices {

    static final String NAME = "primaryDatabases";

    private final TargetDatabases targets;

    DatabaseChoices(TargetDatabases targets) {
        this.targets = targets;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> values() {
        return targets.endpoints().stream()
                .filter(e -> "primary".equals(e.role()) && e.pairedWith() != null)
                .map(DatabaseEndpoint::name).sorted().toList();
    }
}
