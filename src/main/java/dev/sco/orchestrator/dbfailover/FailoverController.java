package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/failovers}, the operations, and the continuity report (KPIs). */
@RestController
class FailoverController {

    private static final Set<String> MODES = Set.of(DatabaseFailoverProcess.MODE_UNPLANNED,
            DatabaseFailoverProcess.MODE_PLANNED, DatabaseFailoverProcess.MODE_DRILL);

    private final FailoverRequests requests;
    private final FailoverService service;
    private final ContinuityReport report;
    private final Clock clock;

    FailoverController(FailoverRequests requests, FailoverService service, ContinuityReport report, Clock clock) {
        this.clock = clock;
        this.requests = requests;
        this.service = service;
        this.report = report;
    }

    record FailoverRequest(String database, String mode, String reason, String ticket) {
    }

    @PostMapping("/api/failovers")
    ResponseEntity<ContinuityOperation> request(@RequestBody FailoverRequest body, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.OPERATORS);
        String database = Inputs.name("database", body.database());
        String mode = Inputs.required("mode", body.mode());
        if (!MODES.contains(mode)) {
            throw new BadRequest("mode", "'mode' must be unplanned, planned or drill");
        }
        String reason = Inputs.text("reason", body.reason(), 1_000);
        String ticket = body.ticket() == null ? null : Inputs.text("ticket", body.ticket(), 128);
        FailoverRequests.Outcome outcome = requests.request(database, mode, reason, ticket, user.id());
        if (outcome.refusal() != null) {
            throw problem(outcome.refusal());
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(outcome.operation());
    }

    @GetMapping("/api/failovers/{id}")
    ContinuityOperation operation(@PathVariable long id) {
        try {
            return service.operation(id);
        } catch (IllegalStateException e) {
            throw new NotFound("id", "No continuity operation " + id);
        }
    }

    @GetMapping("/api/reports/continuity")
    List<ContinuityReport.Line> continuity(@RequestParam(defaultValue = "100") int limit) {
        Inputs.range("limit", limit, 1, 1_000);
        return report.lines(limit);
    }

    /**
     * KPIs from the configured tables: time to repair per operation and averaged per day, week or
     * month (UTC), with the rows written on the failover database per day where the pair marks a
     * KPI table. {@code from}/{@code to}: days (inclusive), by default the last 90 days.
     */
    @GetMapping("/api/reports/continuity/kpis")
    ContinuityReport.Kpis kpis(@RequestParam(defaultValue = "day") String per,
                               @RequestParam(defaultValue = "failover") String kind,
                               @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                               @RequestParam(required = false) String database,
                               @RequestParam(defaultValue = "1000") int limit) {
        ContinuityReport.Per period = ContinuityReport.Per.of(per).orElseThrow(() ->
                new BadRequest("per", "'per' must be day, week or month"));
        if (!"failover".equals(kind) && !"restoration".equals(kind)) {
            throw new BadRequest("kind", "'kind' must be failover or restoration");
        }
        Inputs.range("limit", limit, 1, 10_000);
        LocalDate last = to == null ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) : day("to", to);
        LocalDate first = from == null ? last.minusDays(89) : day("from", from);
        if (first.isAfter(last)) {
            throw new BadRequest("from", "'from' must not be after 'to'");
        }
        if (first.plusYears(10).isBefore(last)) {
            throw new BadRequest("from", "'from' and 'to' may be at most ten years apart");
        }
        return report.kpis(period, kind, first, last, Inputs.optionalName("database", database), limit);
    }

    private static LocalDate day(String field, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequest(field, "'" + field + "' must be a day (yyyy-mm-dd)");
        }
    }

    private static RuntimeException problem(FailoverRequests.Refusal refusal) {
        if (refusal instanceof FailoverRequests.UnknownDatabase u) {
            return new NotFound("database", "No database named '" + u.database() + "'");
        }
        if (refusal instanceof FailoverRequests.NotAPrimary p) {
            return new BadRequest("database", "'" + p.database() + "' is a " + p.role()
                    + " database; fail over its primary");
        }
        if (refusal instanceof FailoverRequests.NoPartner n) {
            return new BadRequest("database", "'" + n.database() + "' has no failover partner (pairedWith)");
        }
        if (refusal instanceof FailoverRequests.NotActingPrimary a) {
            return new Conflict("database", "Failover refused: " + a);
        }
        FailoverRequests.AlreadyRunning r = (FailoverRequests.AlreadyRunning) refusal;
        return new Conflict("database", "A failover of '" + r.running().database() + "' is already running: operation "
                + r.running().id() + ", process " + r.running().processInstanceId());
    }
}
