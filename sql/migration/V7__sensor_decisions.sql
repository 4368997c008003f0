-- What each sensor decided on each pass, including the decisions to do nothing.
CREATE TABLE sensor_decision (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sensor      varchar(64)  NOT NULL,
    subject     varchar(256) NOT NULL,
    action      varchar(32)  NOT NULL,
    reason      text         NOT NULL,
    decided_at  timestamptz  NOT NULL,
    node        varchar(200),
    business_key varchar(256),
    process_instance_id varchar(64)
);
CREATE INDEX sensor_decision_sensor_idx ON sensor_decision (sensor, decided_at DESC);
CREATE INDEX sensor_decision_subject_idx ON sensor_decision (subject, decided_at DESC);
