package dev.sco.orchestrator.platform.web;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import dev.sco.orchestrator.platform.ApiAuthenticationFilter;
import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site write protection of {@code /api} and {@code /engine-rest} (after authentication).
 * A browser that holds Basic credentials for this server sends them with a form or a
 * {@code text/plain} POST from any web page, without a CORS preflight; so every write
 * (POST, PUT, PATCH, DELETE):
 * <ul>
 * <li>with an {@code Origin} header other than this server's own origin is refused (403);</li>
 * <li>with a body that is not JSON ({@code application/json} or a {@code +json} type) is refused
 *     (415): such a body is exactly what a page can send without a preflight. Bodiless writes
 *     ({@code Content-Length: 0} or none, not chunked) pass. The engine's deployment create needs
 *     {@code multipart/form-data}; it is allowed to administrators only (deploying is theirs alone;
 *     anyone else gets 403).</li>
 * </ul>
 * Non-browser clients (curl, agents, the webapps' own same-origin calls) send no foreign Origin and JSON bodies.
 */
class WriteRequestGuard extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String DEPLOYMENT_CREATE = "/engine-rest/deployment/create";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod().toUpperCase(Locale.ROOT));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request)) {
            ProblemResponses.write(response, 403, "Forbidden", "Origin",
                    "Writes from another origin (" + origin + ") are refused");
            return;
        }
        if (hasBody(request) && multipartDeployment(request) && !administrator(request)) {
            ProblemResponses.write(response, 403, "Forbidden", null,
                    "Deployments are uploaded by members of " + Groups.ADMIN + " only");
            return;
        }
        if (hasBody(request) && !acceptableBody(request)) {
            ProblemResponses.write(response, 415, "Unsupported Media Type", "Content-Type",
                    "A request body must be JSON (application/json or a +json type), was '"
                            + request.getContentType() + "'");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean acceptableBody(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        if ("application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"))) {
            return true;
        }
        return multipartDeployment(request) && administrator(request);
    }

    /** The engine's deployment upload, the one write that needs multipart/form-data. */
    private static boolean multipartDeployment(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null || !"POST".equalsIgnoreCase(request.getMethod())
                || !DEPLOYMENT_CREATE.equals(path(request))) {
            return false;
        }
        try {
            return MediaType.MULTIPART_FORM_DATA.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static boolean administrator(HttpServletRequest request) {
        Object user = request.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE);
        return user instanceof ApiUser apiUser && apiUser.groups().contains(Groups.ADMIN);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** The Origin must name the scheme, host and port the request was sent to (as the Host header says). */
    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false; // "null" (sandboxed frames, file: pages) and anything malformed
        }
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
        return uri.getScheme().equalsIgnoreCase(request.getScheme())
                && uri.getHost().equalsIgnoreCase(request.getServerName())
                && port == request.getServerPort();
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
