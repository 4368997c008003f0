package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/drills}: the evidence of every drill (for the trend of recoverability), and the drill
 * schedules per primary database. Reading needs any authenticated user; setting or removing a
 * schedule needs {@code dba} (or an administrator).
 */
@RestController
@RequestMapping("/api/drills")
class DrillController {

    private final DrillRunRepository runs;
    private final DrillSchedule schedule;
    private final Clock clock;

    DrillController(DrillRunRepository runs, DrillSchedule schedule, Clock clock) {
        this.runs = runs;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** Drills newest first, of one database or all, requested within the last {@code days} days. */
    @GetMapping
    List<DrillRun> list(@RequestParam(required = false) String database,
                        @RequestParam(defaultValue = "90") int days,
                        @RequestParam(defaultValue = "200") int limit) {
        Inputs.optionalName("database", database);
        Inputs.range("days", days, 1, 3_660);
        Inputs.range("limit", limit, 1, 5_000);
        return runs.runs(database, clock.instant().minus(Duration.ofDays(days)), limit);
    }

    @GetMapping("/{operationId}")
    DrillRun get(@PathVariable long operationId) {
        return runs.run(operationId).orElseThrow(() -> new NotFound("operationId", "No drill " + operationId));
    }

    @GetMapping("/schedules")
    List<DrillSchedule.View> schedules() {
        return schedule.list();
    }

    @GetMapping("/schedules/{database}")
    DrillSchedule.View schedule(@PathVariable String database) {
        return schedule.find(database)
                .orElseThrow(() -> new NotFound("database", "No drill schedule for '" + database + "'"));
    }

    @PutMapping("/schedules/{database}")
    ResponseEntity<DrillSchedule.View> put(@PathVariable String database, @RequestBody DrillSchedule.Request body,
                                           ApiUser user) {
        Access.requireAny(user, Groups.DBA);
        boolean created = schedule.put(database, body, user.id());
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(schedule.find(database).orElseThrow());
    }

    @DeleteMapping("/schedules/{database}")
    ResponseEntity<Void> delete(@PathVariable String database, ApiUser user) {
        Access.requireAny(user, Groups.DBA);
        schedule.delete(database);
        return ResponseEntity.noContent().build();
    }
}
