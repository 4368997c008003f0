package dev.sco.orchestrator.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the operator where everything is once the service is ready. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final OrchestratorProperties settings;

    StartupReport(OrchestratorProperties settings) {
        this.settings = settings;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        String base = "http://localhost:" + web.getWebServer().getPort();
        log.info("""
                Service Continuity Orchestrator is ready ({} database{})
                  Cockpit   {}/camunda/app/cockpit/
                  Tasklist  {}/camunda/app/tasklist/
                  Admin     {}/camunda/app/admin/
                  REST      {}/api  and  {}/engine-rest
                  Health    {}/actuator/health""",
                settings.db().external() ? "external" : "embedded",
                settings.demoEnabled() ? ", DEMO ESTATE with demo credentials demo/demo, dba/dba, operator/operator, midadmin/midadmin" : "",
                base, base, base, base, base, base);
    }
}
