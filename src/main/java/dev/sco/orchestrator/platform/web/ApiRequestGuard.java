package dev.sco.orchestrator.platform.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks of {@code /api} requests that must happen before Spring MVC sees them:
 * <ul>
 * <li>a body larger than {@link #MAX_BODY_BYTES} is refused (413), by its declared length or, for
 *     chunked bodies, while it is read;</li>
 * <li>a path with a raw {@code ;} is refused (400): the servlet container would cut the segment at
 *     the {@code ;} and {@code PUT /api/servers/a;b} would silently write server {@code a}.</li>
 * </ul>
 */
class ApiRequestGuard extends OncePerRequestFilter {

    /** Enough for a batch of 10,000 heartbeats with 128-character names, pretty-printed. */
    static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().indexOf(';') >= 0) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request", "path",
                    "The path must not contain ';'");
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            refuse(response, 413, "Payload Too Large", ApiExceptionHandler.BODY,
                    "The request body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        chain.doFilter(new LimitedBodyRequest(request), response);
    }

    private static void refuse(HttpServletResponse response, int status, String title, String field, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"field\":\"" + field + "\"}");
    }

    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private ServletInputStream limited;

        LimitedBodyRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream());
            }
            return limited;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8.name() : encoding));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private long count;

        LimitedInputStream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws RequestBodyTooLargeException {
            count += n;
            if (count > MAX_BODY_BYTES) {
                throw new RequestBodyTooLargeException(MAX_BODY_BYTES);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
