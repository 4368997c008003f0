-- unfence: lets a fenced database take writes again (restoration, before it becomes the primary).
-- A fenced database starts every transaction read-only, so this one asks for read-write first.

SET TRANSACTION READ WRITE;

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', current_database());
END
$$;
