package dev.sco.orchestrator.platform.decision;

import java.util.List;

import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/decisions?sensor=&subject=&limit=}: newest first. */
@RestController
class DecisionController {

    private final DecisionRecorder decisions;

    DecisionController(DecisionRecorder decisions) {
        this.decisions = decisions;
    }

    @GetMapping("/api/decisions")
    List<SensorDecision> decisions(@RequestParam(required = false) String sensor,
                                   @RequestParam(required = false) String subject,
                                   @RequestParam(defaultValue = "200") int limit) {
        Inputs.optionalName("sensor", sensor);
        if (subject != null) {
            Inputs.text("subject", subject, 256);
        }
        Inputs.range("limit", limit, 1, 5_000);
        return decisions.recent(sensor, subject, limit);
    }
}
