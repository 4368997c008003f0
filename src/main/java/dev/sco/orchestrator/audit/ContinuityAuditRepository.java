package dev.sco.orchestrator.audit;

import java.sql.Timestamp;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ContinuityAuditRepository {

    private final JdbcClient jdbc;

    ContinuityAuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the answers once per process instance; returns false if they were already stored. */
    boolean insertOnce(AuditAnswers answers) {
        int rows = jdbc.sql("""
                        INSERT INTO continuity_audit (process_instance_id, business_key, reviewed_by, reviewed_at,
                            slas_current, roles_communicated, staff_prepared, infrastructure_in_place, notes)
                        VALUES (:processInstanceId, :businessKey, :reviewedBy, :reviewedAt,
                            :slasCurrent, :rolesCommunicated, :staffPrepared, :infrastructureInPlace, :notes)
                        ON CONFLICT (process_instance_id) DO NOTHING""")
                .param("processInstanceId", answers.processInstanceId())
                .param("businessKey", answers.businessKey())
                .param("reviewedBy", answers.reviewedBy())
                .param("reviewedAt", Timestamp.from(answers.reviewedAt()))
                .param("slasCurrent", answers.slasCurrent())
                .param("rolesCommunicated", answers.rolesCommunicated())
                .param("staffPrepared", answers.staffPrepared())
                .param("infrastructureInPlace", answers.infrastructureInPlace())
                .param("notes", answers.notes())
                .update();
        return rows == 1;
    }

    Optional<AuditAnswers> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("""
                        SELECT process_instance_id, business_key, reviewed_by, reviewed_at, slas_current,
                            roles_communicated, staff_prepared, infrastructure_in_place, notes
                        FROM continuity_audit WHERE process_instance_id = :id""")
                .param("id", processInstanceId)
                .query((rs, row) -> new AuditAnswers(
                        rs.getString("process_instance_id"),
                        rs.getString("business_key"),
                        rs.getString("reviewed_by"),
                        rs.getTimestamp("reviewed_at").toInstant(),
                        rs.getBoolean("slas_current"),
                        rs.getBoolean("roles_communicated"),
                        rs.getBoolean("staff_prepared"),
                        rs.getBoolean("infrastructure_in_place"),
                        rs.getString("notes")))
                .optional();
    }
}
