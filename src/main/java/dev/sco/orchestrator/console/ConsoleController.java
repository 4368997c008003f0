package dev.sco.orchestrator.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/console/...}: what the continuity console shows. Read only, for every
 * authenticated user (HTTP Basic, or the session of the web apps' login); nothing secret is
 * answered. Lists are paged (at most {@link #MAX_PAGE} rows) and counts aggregated, so an answer
 * stays small with tens of thousands of servers.
 */
@RestController
@RequestMapping("/api/console")
class ConsoleController {

    static final int MAX_PAGE = 200;
    static final int MAX_PAIRS_PLOTTED = 20;
    static final int BINDINGS_SHOWN = 10;

    private static final Map<String, Duration> RANGES = Map.of("24h", Duration.ofHours(24), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30), "90d", Duration.ofDays(90));

    private final ConsoleRepository repository;
    private final DecisionRecorder decisions;
    private final Clock clock;

    ConsoleController(ConsoleRepository repository, DecisionRecorder decisions, Clock clock) {
        this.repository = repository;
        this.decisions = decisions;
        this.clock = clock;
    }

    record Summary(Instant now, String user, ConsoleRepository.ServerCounts servers, long hubPairs, long databasePairs,
                   long runningOperations, long activePauses) {
    }

    @GetMapping("/summary")
    Summary summary(ApiUser user) {
        Instant now = clock.instant();
        return new Summary(now, user.id(), repository.serverCounts(now), repository.hubPairCount(),
                repository.pairCount(), repository.runningOperationCount(), repository.activePauseCount());
    }

    @GetMapping("/servers")
    ConsoleRepository.Page<ConsoleRepository.ServerRow> servers(@RequestParam(required = false) String status,
                                                              @RequestParam(required = false) String prefix,
                                                              @RequestParam(defaultValue = "0") int page,
                                                              @RequestParam(defaultValue = "50") int size) {
        if (status != null && !status.equals("Up") && !status.equals("Down")) {
            throw new BadRequest("status", "status must be Up or Down");
        }
        Inputs.optionalName("prefix", prefix);
        return repository.servers(clock.instant(), status, prefix, page(page), size(size));
    }

    @GetMapping("/hubs")
    ConsoleRepository.Page<ConsoleRepository.HubRow> hubs(@RequestParam(defaultValue = "0") int page,
                                                        @RequestParam(defaultValue = "50") int size) {
        return repository.hubs(page(page), size(size));
    }

    @GetMapping("/databases")
    ConsoleRepository.Page<ConsoleRepository.PairRow> databases(@RequestParam(defaultValue = "0") int page,
                                                              @RequestParam(defaultValue = "50") int size) {
        return repository.pairs(clock.instant(), page(page), size(size), BINDINGS_SHOWN);
    }

    @GetMapping("/operations")
    List<ConsoleRepository.RunningOperation> running(@RequestParam(defaultValue = "50") int limit) {
        return repository.runningOperations(Inputs.range("limit", limit, 1, MAX_PAGE));
    }

    @GetMapping("/decisions")
    List<SensorDecision> decisions(@RequestParam(defaultValue = "20") int limit) {
        return decisions.recent(null, null, Inputs.range("limit", limit, 1, MAX_PAGE));
    }

    @GetMapping("/pauses")
    List<ConsoleRepository.PauseRow> pauses(@RequestParam(defaultValue = "50") int limit) {
        return repository.activePauses(Inputs.range("limit", limit, 1, MAX_PAGE));
    }

    record Chart<T>(Instant from, Instant to, T data) {
    }

    /** Data-loss window per pair (the first {@link #MAX_PAIRS_PLOTTED} by name), 96 samples over the range. */
    @GetMapping("/charts/data-loss")
    Chart<List<ConsoleRepository.Series>> dataLoss(@RequestParam(defaultValue = "24h") String range) {
        Instant to = clock.instant();
        Instant from = to.minus(range(range));
        return new Chart<>(from, to, repository.dataLossWindows(from, to, 96, MAX_PAIRS_PLOTTED));
    }

    @GetMapping("/charts/sync-runs")
    Chart<List<ConsoleRepository.SyncRun>> syncRuns(@RequestParam(defaultValue = "24h") String range) {
        Instant to = clock.instant();
        Instant from = to.minus(range(range));
        return new Chart<>(from, to, repository.syncRuns(from, 500));
    }

    @GetMapping("/charts/operations")
    Chart<List<ConsoleRepository.OperationSpan>> operations(@RequestParam(defaultValue = "30d") String range) {
        Instant to = clock.instant();
        Instant from = to.minus(range(range));
        return new Chart<>(from, to, repository.operations(from, MAX_PAGE));
    }

    @GetMapping("/charts/mttr")
    Chart<List<ConsoleRepository.WeekMttr>> mttr(@RequestParam(defaultValue = "12") int weeks) {
        Inputs.range("weeks", weeks, 1, 104);
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofDays(7L * weeks));
        return new Chart<>(from, to, repository.mttrPerWeek(from));
    }

    @GetMapping("/charts/drills")
    Chart<List<ConsoleRepository.Drill>> drills(@RequestParam(defaultValue = "90d") String range) {
        Instant to = clock.instant();
        Instant from = to.minus(range(range));
        return new Chart<>(from, to, repository.drills(from, 500));
    }

    record MinuteCount(Instant minute, long heartbeats) {
    }

    @GetMapping("/charts/heartbeats")
    Chart<List<MinuteCount>> heartbeats(@RequestParam(defaultValue = "60") int minutes) {
        Inputs.range("minutes", minutes, 1, 1_440);
        Instant to = clock.instant();
        List<MinuteCount> data = repository.lastHeartbeatsPerMinute(to, minutes).entrySet().stream()
                .map(e -> new MinuteCount(e.getKey(), e.getValue())).toList();
        return new Chart<>(to.minus(Duration.ofMinutes(minutes)), to, data);
    }

    private static Duration range(String range) {
        Duration duration = RANGES.get(range);
        if (duration == null) {
            throw new BadRequest("range", "range must be one of 24h, 7d, 30d, 90d");
        }
        return duration;
    }

    private static int page(int page) {
        return Inputs.range("page", page, 0, 100_000);
    }

    private static int size(int size) {
        return Inputs.range("size", size, 1, MAX_PAGE);
    }
}
