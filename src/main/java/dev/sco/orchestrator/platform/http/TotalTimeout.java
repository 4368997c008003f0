package dev.sco.orchestrator.platform.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Bounds a whole call, connect to the answer's last byte. The connect and read timeouts bound
 * their own parts only (and how a request factory counts its read timeout differs from one
 * client library to the next), so this is the one bound a caller can rely on. The call runs on a worker thread that is
 * interrupted at the deadline (the JDK client cancels an interrupted exchange); the answer is read
 * completely before the deadline, so the caller never blocks on the body afterwards.
 */
public final class TotalTimeout implements ClientHttpRequestInterceptor, AutoCloseable {

    private final Duration total;
    private final ExecutorService workers;

    public TotalTimeout(Duration total) {
        this.total = total;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "outbound-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        Future<Buffered> call = workers.submit(() -> {
            try (ClientHttpResponse response = execution.execute(request, body)) {
                return new Buffered(response.getStatusCode(), response.getStatusText(), response.getHeaders(),
                        response.getBody().readAllBytes());
            }
        });
        try {
            return call.get(total.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new HttpTimeoutException("no complete answer from " + request.getURI().getHost()
                    + " within the total timeout of " + total);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling " + request.getURI().getHost());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private record Buffered(HttpStatusCode status, String text, HttpHeaders headers, byte[] content)
            implements ClientHttpResponse {

        @Override
        public HttpStatusCode getStatusCode() {
            return status;
        }

        @Override
        public String getStatusText() {
            return text;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(content);
        }

        @Override
        public void close() {
        }
    }
}
