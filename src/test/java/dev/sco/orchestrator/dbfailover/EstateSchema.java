package dev.sco.orchestrator.dbfailover;

import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.target.ScriptExecutor;
import dev.sco.orchestrator.platform.target.SqlScript;

/** The application schema a {@link FailoverEstate} holds: how to create it, fill it, and sync it. */
interface EstateSchema {

    /** The demo's monitored schema (partitioned tables, timestamptz increment columns). */
    EstateSchema SAMPLE = new EstateSchema() {
        @Override
        public void install(DataSource database, String name) {
            SampleSchema.install(database, name);
        }

        @Override
        public void fill(DataSource primary) {
            SampleDataGenerator.generate(primary, Instant.now(), 20, 20, 2);
        }

        @Override
        public PairTables.TableList tables() {
            return SampleSchema.tableList();
        }
    };

    void install(DataSource database, String name);

    void fill(DataSource primary);

    PairTables.TableList tables();

    default String name() {
        return tables().schema();
    }

    default void makeSyncTarget(DataSource failover, String name) {
        ScriptExecutor.execute(failover, name, SqlScript.operational("make-sync-target"), Map.of("schema", name()),
                false);
    }
}
