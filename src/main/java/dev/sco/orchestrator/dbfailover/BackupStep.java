package dev.sco.orchestrator.dbfailover;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Backs up both databases of the pair before the failover database is copied back: a long step
 * (external task {@value #TOPIC}) whose lock the worker extends while the backups run, so it runs
 * on one node at a time however long the tables take. Each backup is a COPY of every configured
 * table onto the pair's registered backup database ({@link BackupService}): the failover database
 * (what the consumers wrote while it was active) and the primary (what the copy back is about to
 * overwrite). Without a registered backup database the step fails, naming how to register one, so
 * the copy back never runs without a backup. Safe to run again: a backup the operation completed is
 * kept, an interrupted one is taken again.
 */
@Component
class BackupStep extends OperationLongStep {

    static final String TOPIC = "backup";

    private final BackupService backups;

    BackupStep(OperationGuard guard, BackupService backups) {
        super(guard, TOPIC);
        this.backups = backups;
    }

    @Override
    Map<String, Object> work(ContinuityOperation op) {
        long failover = backups.backup(op.id(), op.failoverDatabase()).id();
        long primary = backups.backup(op.id(), op.database()).id();
        return Map.of("failoverBackupId", failover, "primaryBackupId", primary);
    }
}
