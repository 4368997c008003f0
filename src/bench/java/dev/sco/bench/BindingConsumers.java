package dev.sco.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The consumers of the failover benchmarks (P6, P6b), played by the harness: each holds a JDBC
 * connection whose {@code ApplicationName} is its name, reads {@code GET /api/bindings/{consumer}}
 * every 100 ms and, when the binding names another database, connects there (the {@code jdbcUrl}
 * of {@code GET /api/databases/{name}}) and stays, so the failover's verification finds its
 * session on the new primary. Bounded in time; the connections stay open until {@link #close()}.
 */
final class BindingConsumers implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(100);

    private final ApiClient api;
    private final String user;
    private final boolean queryWhileWaiting;
    private final Map<String, Instant> movedAt = new ConcurrentHashMap<>();
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private final AtomicReference<String> error = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Connection> open = Collections.synchronizedList(new ArrayList<>());
    private final List<String> names;

    /**
     * Connects every consumer to {@code database} (each must be bound to it) and starts following.
     * {@code queryWhileWaiting}: each also runs {@code select 1} on its connection at every poll, as
     * a working application would (its errors once the database is gone are expected).
     */
    static BindingConsumers start(ApiClient api, String user, String database, List<String> consumers,
                                  boolean queryWhileWaiting, Duration limit, String threadPrefix)
            throws IOException, InterruptedException, SQLException {
        BindingConsumers started = new BindingConsumers(api, user, consumers, queryWhileWaiting);
        long giveUp = System.nanoTime() + limit.toNanos();
        for (String consumer : consumers) {
            String bound = started.binding(consumer);
            if (!database.equals(bound)) {
                throw new IllegalStateException(consumer + " is bound to " + bound + ", not " + database);
            }
            Connection first = connect(started.url(database), consumer);
            Thread thread = new Thread(() -> started.follow(consumer, database, first, giveUp), threadPrefix + consumer);
            thread.setDaemon(true);
            started.threads.add(thread);
        }
        started.threads.forEach(Thread::start);
        return started;
    }

    private BindingConsumers(ApiClient api, String user, List<String> names, boolean queryWhileWaiting) {
        this.api = api;
        this.user = user;
        this.names = List.copyOf(names);
        this.queryWhileWaiting = queryWhileWaiting;
    }

    /** Waits a little for the consumers that are still moving; fails if one of them failed. */
    void awaitMoved(Duration wait) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(wait.toMillis());
        }
        if (error.get() != null) {
            throw new IllegalStateException("a consumer failed: " + error.get());
        }
    }

    /** When the consumer connected to the database its binding moved to; empty if it has not. */
    Optional<Instant> movedAt(String consumer) {
        return Optional.ofNullable(movedAt.get(consumer));
    }

    /** When the last consumer moved; empty unless every one has. */
    Optional<Instant> lastMovedAt() {
        return movedAt.size() == names.size() ? movedAt.values().stream().max(Instant::compareTo) : Optional.empty();
    }

    /** Stops following and closes every consumer's connection. */
    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (open) {
            open.forEach(BindingConsumers::closeQuietly);
            open.clear();
        }
    }

    private void follow(String consumer, String database, Connection first, long giveUp) {
        Connection connection = first;
        try {
            while (System.nanoTime() < giveUp && !Thread.currentThread().isInterrupted()) {
                String bound = binding(consumer);
                if (!bound.equals(database)) {
                    Connection next = connect(url(bound), consumer);
                    if (queryWhileWaiting) {
                        try (Statement statement = next.createStatement()) {
                            statement.execute("select 1");
                        }
                    }
                    closeQuietly(connection);
                    connection = next;
                    movedAt.put(consumer, Instant.now());
                    return;
                }
                if (queryWhileWaiting) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("select 1");
                    } catch (SQLException databaseGone) {
                        // Expected once the database is gone: the consumer keeps reading its binding.
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | SQLException | RuntimeException e) {
            error.compareAndSet(null, consumer + ": " + e);
        } finally {
            open.add(connection);
        }
    }

    private String binding(String consumer) throws IOException, InterruptedException {
        return api.get("/api/bindings/" + URLEncoder.encode(consumer, StandardCharsets.UTF_8), user)
                .get("database").asText();
    }

    private String url(String database) throws IOException, InterruptedException {
        String known = urls.get(database);
        if (known == null) {
            known = api.get("/api/databases/" + database, user).get("jdbcUrl").asText();
            urls.put(database, known);
        }
        return known;
    }

    private static Connection connect(String url, String consumer) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("ApplicationName", consumer);
        properties.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(url, properties);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // The server may be gone (killed or fenced); nothing left to close.
        }
    }
}
