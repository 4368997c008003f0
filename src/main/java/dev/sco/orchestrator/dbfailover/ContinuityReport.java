package dev.sco.orchestrator.dbfailover;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.target.SqlIdentifiers;
import dev.sco.orchestrator.platform.target.TableRef;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The two KPIs of the continuity plan per operation: time to repair, and the rows (alerts, in the
 * demo) handled on the failover side while it was active, counted on the failover database in the
 * pair's KPI table ({@link #handledOnFailover}), with the data-loss window.
 * Each line also says what the two databases act as now ({@link DatabaseRoles}): the live count of
 * alerts runs only while this failover's database still acts as the pair's primary.
 */
@Component
class ContinuityReport {

    private static final Logger log = LoggerFactory.getLogger(ContinuityReport.class);

    private final FailoverRepository repository;
    private final TargetDatabases targets;
    private final Clock clock;
    private final DatabaseRoles roles;
    private final PairTables pairTables;
    private final JdbcClient jdbc;

    ContinuityReport(FailoverRepository repository, TargetDatabases targets, Clock clock, DatabaseRoles roles,
                     PairTables pairTables, JdbcClient jdbc) {
        this.pairTables = pairTables;
        this.jdbc = jdbc;
        this.roles = roles;
        this.repository = repository;
        this.targets = targets;
        this.clock = clock;
    }

    record Line(long id, String kind, String mode, String database, String failoverDatabase, String state,
                String requestedBy, String reason, String ticket, Instant requestedAt, Instant verifiedAt,
                Long timeToRepairMs, Long dataLossWindowMs, Long alertsOnFailover, Boolean fenced,
                String databaseActingRole, String failoverDatabaseActingRole) {
    }

    List<Line> lines(int limit) {
        return repository.recent(limit).stream().map(this::line).toList();
    }

    private Line line(ContinuityOperation op) {
        Long alerts = op.alertsOnFailover();
        DatabaseRoles.Acting database = roles.of(op.database()).orElse(null);
        DatabaseRoles.Acting failover = roles.of(op.failoverDatabase()).orElse(null);
        boolean failoverActsForThis = failover != null && DatabaseRoles.PRIMARY.equals(failover.role())
                && Long.valueOf(op.id()).equals(failover.operationId());
        if (alerts == null && op.verifiedAt() != null && ContinuityOperation.FAILED_OVER.equals(op.state())
                && failoverActsForThis) {
            alerts = alertsSince(op.database(), op.failoverDatabase(), op.verifiedAt());
        }
        return new Line(op.id(), op.kind(), op.mode(), op.database(), op.failoverDatabase(), op.state(),
                op.requestedBy(), op.reason(), op.ticket(), op.requestedAt(), op.verifiedAt(), op.timeToRepairMs(),
                op.dataLossWindowMs(), alerts, op.fenced(), database == null ? null : database.role(),
                failover == null ? null : failover.role());
    }

    /** Rows written on the failover database since it became active; null when they cannot be counted. */
    private Long alertsSince(String primary, String database, Instant since) {
        try {
            return handledOnFailover(targets, pairTables, primary, database, since, clock.instant());
        } catch (RuntimeException e) {
            log.debug("Rows handled on {} could not be counted: {}", database, e.getMessage());
            return null;
        }
    }

    /**
     * The KPI "handled on the failover database": rows of the pair's KPI table (registered with
     * its sync tables, {@code kpi: true}; its increment column is a timestamptz) written on
     * {@code failoverDatabase} in [{@code from}, {@code to}]. Null when the pair marks no KPI table.
     */
    static Long handledOnFailover(TargetDatabases targets, PairTables pairTables, String primary,
                                  String failoverDatabase, Instant from, Instant to) {
        Optional<PairTables.TableList> list = pairTables.of(primary);
        Optional<PairTables.Table> table = list.flatMap(PairTables.TableList::kpiTable);
        if (table.isEmpty()) {
            return null;
        }
        String column = SqlIdentifiers.quote(table.get().incrementColumn());
        return targets.jdbc(failoverDatabase).sql("select count(*) from "
                        + TableRef.of(list.get().schema(), table.get().name()).quoted() + " where " + column + " >= ? and "
                        + column + " <= ?")
                .params(Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
    }

    /** The periods KPIs are averaged over, in UTC: calendar days, ISO weeks (from Monday), calendar months. */
    enum Per {
        DAY, WEEK, MONTH;

        LocalDate start(LocalDate day) {
            return switch (this) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
        }

        static Optional<Per> of(String text) {
            for (Per per : values()) {
                if (per.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return Optional.of(per);
                }
            }
            return Optional.empty();
        }
    }

    /** Rows of the pair's KPI table written on the failover database on one day (UTC). */
    record DayCount(LocalDate day, long rows) {
    }

    /**
     * One operation's KPIs: time to repair, and (only when its pair marks a KPI table; absent
     * otherwise) the rows written on the failover database per day while it was active.
     */
    record OperationKpi(long id, String kind, String mode, String database, String failoverDatabase, String state,
                        Instant requestedAt, Instant verifiedAt, Long timeToRepairMs,
                        @JsonInclude(JsonInclude.Include.NON_NULL) List<DayCount> alertsOnFailoverPerDay) {
    }

    /**
     * One period (by the day each operation was requested): how many operations, how many reached
     * their verified end, their average and longest time to repair, and (only when a KPI table is
     * configured for a pair of the report; absent otherwise) the rows written on failover databases
     * on the period's days.
     */
    record Period(LocalDate start, int operations, int repaired,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Long averageTimeToRepairMs,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Long maxTimeToRepairMs,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Long alertsOnFailover) {
    }

    record Kpis(String per, String kind, LocalDate from, LocalDate to, List<OperationKpi> operations,
                List<Period> periods) {
    }

    /**
     * KPIs of the operations of {@code kind} (drills left out) requested on days [{@code from},
     * {@code to}] (UTC), of one pair when {@code database} is given, averaged per {@code per}.
     */
    Kpis kpis(Per per, String kind, LocalDate from, LocalDate to, String database, int limit) {
        List<OperationKpi> operations = new ArrayList<>();
        for (ContinuityOperation op : repository.requestedBetween(kind, from.atStartOfDay().toInstant(ZoneOffset.UTC),
                to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), database, limit)) {
            operations.add(new OperationKpi(op.id(), op.kind(), op.mode(), op.database(), op.failoverDatabase(),
                    op.state(), op.requestedAt(), op.verifiedAt(), op.timeToRepairMs(),
                    "failover".equals(op.kind()) ? alertsPerDay(op) : null));
        }
        boolean anyKpiTable = operations.stream().anyMatch(o -> o.alertsOnFailoverPerDay() != null);
        Map<LocalDate, List<OperationKpi>> byPeriod = new TreeMap<>();
        Map<LocalDate, Long> alertsByPeriod = new TreeMap<>();
        for (OperationKpi op : operations) {
            byPeriod.computeIfAbsent(per.start(LocalDate.ofInstant(op.requestedAt(), ZoneOffset.UTC)),
                    k -> new ArrayList<>()).add(op);
            if (op.alertsOnFailoverPerDay() != null) {
                for (DayCount day : op.alertsOnFailoverPerDay()) {
                    alertsByPeriod.merge(per.start(day.day()), day.rows(), Long::sum);
                    byPeriod.computeIfAbsent(per.start(day.day()), k -> new ArrayList<>());
                }
            }
        }
        List<Period> periods = new ArrayList<>();
        byPeriod.forEach((start, ops) -> {
            List<Long> repairs = ops.stream().map(OperationKpi::timeToRepairMs).filter(java.util.Objects::nonNull)
                    .toList();
            periods.add(new Period(start, ops.size(), repairs.size(),
                    repairs.isEmpty() ? null : Math.round(repairs.stream().mapToLong(Long::longValue).average()
                            .orElseThrow()),
                    repairs.stream().max(Long::compare).orElse(null),
                    anyKpiTable ? alertsByPeriod.getOrDefault(start, 0L) : null));
        });
        return new Kpis(per.name().toLowerCase(Locale.ROOT), kind, from, to, operations, periods);
    }

    /**
     * The rows a failover's database took per day: frozen when its restoration ended, counted
     * live while it still acts as the pair's primary for this failover. Null when the pair marks
     * no KPI table (the field is then absent), empty when there is nothing to count.
     */
    private List<DayCount> alertsPerDay(ContinuityOperation op) {
        if (pairTables.of(op.database()).flatMap(PairTables.TableList::kpiTable).isEmpty()) {
            return null;
        }
        List<DayCount> frozen = jdbc.sql("select day, handled from operation_kpi_day where operation_id = ? order by day")
                .param(op.id()).query((rs, n) -> new DayCount(rs.getObject(1, LocalDate.class), rs.getLong(2))).list();
        if (!frozen.isEmpty() || op.verifiedAt() == null || !ContinuityOperation.FAILED_OVER.equals(op.state())) {
            return frozen;
        }
        DatabaseRoles.Acting failover = roles.of(op.failoverDatabase()).orElse(null);
        if (failover == null || !DatabaseRoles.PRIMARY.equals(failover.role())
                || !Long.valueOf(op.id()).equals(failover.operationId())) {
            return frozen;
        }
        try {
            List<DayCount> live = handledPerDay(targets, pairTables, op.database(), op.failoverDatabase(),
                    op.verifiedAt(), clock.instant());
            return live == null ? frozen : live;
        } catch (RuntimeException e) {
            log.debug("Rows handled per day on {} could not be counted: {}", op.failoverDatabase(), e.getMessage());
            return frozen;
        }
    }

    /**
     * Records, for a failover whose restoration ends, the rows its database took per day (the
     * frozen form of {@link #handledPerDay}); nothing when the pair marks no KPI table. Idempotent.
     */
    static void freezeHandledPerDay(JdbcClient jdbc, TargetDatabases targets, PairTables pairTables,
                                    ContinuityOperation failover, Instant to) {
        if (failover.verifiedAt() == null) {
            return;
        }
        List<DayCount> days = handledPerDay(targets, pairTables, failover.database(), failover.failoverDatabase(),
                failover.verifiedAt(), to);
        if (days == null) {
            return;
        }
        jdbc.sql("delete from operation_kpi_day where operation_id = ?").param(failover.id()).update();
        for (DayCount day : days) {
            jdbc.sql("insert into operation_kpi_day (operation_id, day, handled) values (?, ?, ?)")
                    .params(failover.id(), day.day(), day.rows()).update();
        }
    }

    /**
     * Rows of the pair's KPI table written on {@code failoverDatabase} in [{@code from}, {@code to}],
     * per day (UTC), by the table's increment column: a timestamptz, or a timestamp without time
     * zone read as UTC. Null when the pair marks no KPI table or its column is not a time.
     */
    static List<DayCount> handledPerDay(TargetDatabases targets, PairTables pairTables, String primary,
                                        String failoverDatabase, Instant from, Instant to) {
        Optional<PairTables.TableList> list = pairTables.of(primary);
        Optional<PairTables.Table> table = list.flatMap(PairTables.TableList::kpiTable);
        if (table.isEmpty() || table.get().incrementColumn() == null) {
            return null;
        }
        JdbcClient target = targets.jdbc(failoverDatabase);
        TableRef ref = TableRef.of(list.get().schema(), table.get().name());
        String type = target.sql("select format_type(atttypid, atttypmod) from pg_attribute "
                        + "where attrelid = to_regclass(?) and attname = ? and not attisdropped")
                .params(ref.quoted(), table.get().incrementColumn()).query(String.class).optional().orElse(null);
        String column = SqlIdentifiers.quote(table.get().incrementColumn());
        Object lower;
        Object upper;
        String day;
        if ("timestamp with time zone".equals(type)) {
            day = "(" + column + " at time zone 'UTC')::date";
            lower = Timestamp.from(from);
            upper = Timestamp.from(to);
        } else if ("timestamp without time zone".equals(type)) {
            day = column + "::date";
            lower = LocalDateTime.ofInstant(from, ZoneOffset.UTC);
            upper = LocalDateTime.ofInstant(to, ZoneOffset.UTC);
        } else {
            return null;
        }
        return target.sql("select " + day + ", count(*) from " + ref.quoted() + " where " + column + " >= ? and "
                        + column + " <= ? group by 1 order by 1")
                .params(lower, upper)
                .query((rs, n) -> new DayCount(rs.getObject(1, LocalDate.class), rs.getLong(2))).list();
    }
}
