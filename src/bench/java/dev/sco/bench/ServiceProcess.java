package dev.sco.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One service under test, run as its own JVM on a loopback port: started, awaited until its
 * readiness URL answers 200, and stopped with SIGTERM so that it shuts its PostgreSQL servers down.
 * Every PostgreSQL server it starts keeps its data below {@code workDir}, which is how leftovers
 * are found afterwards.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_LIMIT = Duration.ofSeconds(360);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(90);

    private final String name;
    private final Process process;
    private final long launchedAtNanos;
    private final int port;
    private final Path workDir;
    private final Path log;

    private ServiceProcess(String name, Process process, long launchedAtNanos, int port, Path workDir, Path log) {
        this.name = name;
        this.process = process;
        this.launchedAtNanos = launchedAtNanos;
        this.port = port;
        this.workDir = workDir;
        this.log = log;
    }

    static ServiceProcess launch(String name, List<String> command, Map<String, String> env, int port, Path workDir,
                                 Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The service under test must take the embedded default, whatever this shell has set.
        builder.environment().keySet().removeIf(key -> key.startsWith("ORCHESTRATOR_") || key.startsWith("SPRING_"));
        builder.environment().putAll(env);
        try {
            long launchedAt = System.nanoTime();
            Process process = builder.start();
            return new ServiceProcess(name, process, launchedAt, port, workDir, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + name, e);
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    Path workDir() {
        return workDir;
    }

    /** The service's log so far contains this text (for example an OutOfMemoryError). */
    boolean logContains(String text) {
        try {
            return java.nio.file.Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls {@code path} every 50 ms; returns the time from process launch to the first 200, in seconds. */
    double awaitReady(HttpClient http, String path) throws InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = launchedAtNanos + READY_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (tail().contains("already in use")) {
                    throw new PortTakenException(name + " lost port " + port + " to another process before binding it");
                }
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; "
                        + "log: " + log + "\n" + tail());
            }
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return (System.nanoTime() - launchedAtNanos) / 1e9;
                }
            } catch (IOException notListeningYet) {
                // The port opens late in start-up; keep polling.
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " was not ready within " + READY_LIMIT + "; log: " + log + "\n" + tail());
    }

    /**
     * SIGTERM, then waits for the JVM and for every PostgreSQL server under {@code workDir} to end.
     * Returns the PostgreSQL processes that had to be stopped here (empty when the service cleaned up).
     */
    List<String> stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        }
        List<String> orphans = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<ProcessHandle> left = postgresUnder(workDir);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = postgresUnder(workDir);
        }
        for (ProcessHandle orphan : left) {
            orphans.add(orphan.pid() + " " + commandLine(orphan.pid()));
            orphan.destroy();
        }
        return orphans;
    }

    /**
     * The free port found before launch was taken by someone else (for example one of the service's
     * own PostgreSQL servers, which also take random ports) before the web server bound it.
     */
    static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** PostgreSQL processes (any user's view of /proc) whose command line names a directory below {@code dir}. */
    static List<ProcessHandle> postgresUnder(Path dir) {
        String marker = dir.toAbsolutePath().toString();
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> {
                        long pid = Long.parseLong(n);
                        String cmd = commandLine(pid);
                        if (cmd.contains("postgres") && cmd.contains(marker)) {
                            ProcessHandle.of(pid).ifPresent(found::add);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
