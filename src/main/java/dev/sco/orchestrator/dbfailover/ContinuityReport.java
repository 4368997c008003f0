package dev.sco.orchestrator.dbfailover;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.target.SqlIdentifiers;
import dev.sco.orchestrator.platform.target.TableRef;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    ContinuityReport(FailoverRepository repository, TargetDatabases targets, Clock clock, DatabaseRoles roles,
                     PairTables pairTables) {
        this.pairTables = pairTables;
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
}
