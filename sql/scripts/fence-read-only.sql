-- fence-read-only: makes the old primary refuse writes after a failover.
-- New sessions of this database start read-only, and every other session is ended, so a
-- consumer still connected must reconnect and then finds the database read-only.
-- Reverse: unfence.

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database());
END
$$;

SELECT pg_terminate_backend(pid)
  FROM pg_stat_activity
 WHERE datname = current_database()
   AND pid <> pg_backend_pid()
   AND backend_type = 'client backend';
