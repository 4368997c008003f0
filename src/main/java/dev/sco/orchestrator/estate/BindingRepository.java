package dev.sco.orchestrator.estate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code binding} table. Reads are public: repointing and verification start from here. */
@Repository
public class BindingRepository {

    private final JdbcClient jdbc;

    BindingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Binding> find(String consumer) {
        return jdbc.sql("SELECT consumer, database, updated_at FROM binding WHERE consumer = ?")
                .param(consumer).query(BindingRepository::map).optional();
    }

    public List<Binding> findAll() {
        return jdbc.sql("SELECT consumer, database, updated_at FROM binding ORDER BY consumer")
                .query(BindingRepository::map).list();
    }

    public List<Binding> findByDatabase(String database) {
        return jdbc.sql("SELECT consumer, database, updated_at FROM binding WHERE database = ? ORDER BY consumer")
                .param(database).query(BindingRepository::map).list();
    }

    /** Binds the consumer to the database; true when the consumer had no binding before. */
    boolean upsert(String consumer, String database, Instant now) {
        return jdbc.sql("""
                        INSERT INTO binding AS b (consumer, database, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (consumer) DO UPDATE SET database = EXCLUDED.database,
                            updated_at = CASE WHEN b.database = EXCLUDED.database THEN b.updated_at
                                              ELSE EXCLUDED.updated_at END
                        RETURNING (xmax = 0) AS inserted""")
                .param(consumer).param(database).param(Sql.timestamp(now))
                .query(Boolean.class).single();
    }

    private static Binding map(ResultSet rs, int row) throws SQLException {
        return new Binding(rs.getString("consumer"), rs.getString("database"), Sql.instant(rs, "updated_at"));
    }

    /**
     * Binds every consumer of {@code from} to {@code to} (a failover's or restoration's repoint), in
     * the caller's transaction; returns the consumers moved.
     */
    public List<String> rebindAll(String from, String to, Instant at) {
        return jdbc.sql("update binding set database = ?, updated_at = ? where database = ? returning consumer")
                .params(to, Sql.timestamp(at), from).query(String.class).list();
    }
}
