-- Answers of the periodic continuity plan review (process continuityAuditProcess).
-- One row per process instance: recording the same review again changes nothing.

CREATE TABLE continuity_audit (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_instance_id     varchar(64)  NOT NULL UNIQUE,
    business_key            varchar(255),
    reviewed_by             varchar(255) NOT NULL,
    reviewed_at             timestamptz  NOT NULL,
    slas_current            boolean      NOT NULL,
    roles_communicated      boolean      NOT NULL,
    staff_prepared          boolean      NOT NULL,
    infrastructure_in_place boolean      NOT NULL,
    notes                   text,
    all_checks_passed       boolean      NOT NULL GENERATED ALWAYS AS
        (slas_current AND roles_communicated AND staff_prepared AND infrastructure_in_place) STORED,
    recorded_at             timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX continuity_audit_reviewed_at ON continuity_audit (reviewed_at DESC);
