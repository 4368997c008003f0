package dev.sco.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * {@code count} requests sent by {@code threads} client threads in a closed loop (each sends its
 * next request when the previous one answered), stopped early when {@code limit} runs out.
 */
final class ClosedLoop {

    private ClosedLoop() {
    }

    /**
     * @param check the error an answer stands for, or null when it is right
     */
    static LatencyStats run(HttpClient http, String name, int count, int threads, Duration limit,
                            IntFunction<HttpRequest> requests, Function<HttpResponse<String>, String> check)
            throws InterruptedException {
        long[] latencies = new long[Math.max(count, 0)];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(threads);
        long begin = System.nanoTime();
        long deadline = begin + limit.toNanos();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                        HttpRequest request = requests.apply(i);
                        long sent = System.nanoTime();
                        String error;
                        try {
                            error = check.apply(http.send(request, HttpResponse.BodyHandlers.ofString()));
                        } catch (IOException e) {
                            error = e.toString();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        latencies[i] = System.nanoTime() - sent;
                        if (error != null) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, name + "-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        finished.await();
        long elapsed = System.nanoTime() - begin;
        // A slot claimed when the deadline passed stays 0: only answered requests count.
        long[] measured = Arrays.stream(latencies).filter(l -> l > 0).toArray();
        return LatencyStats.of(count, measured, measured.length, errors.get(), firstError.get(), elapsed);
    }
}
