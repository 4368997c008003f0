package dev.sco.orchestrator.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic authentication of the orchestrator API and the engine REST API against the engine's
 * identity service, so one set of users and groups serves {@code /api}, {@code /engine-rest} and
 * the web apps. The authenticated user and groups are set on the engine for the request, so the
 * engine's authorization checks apply to engine REST calls.
 * <p>
 * A verified credential is remembered for a few seconds (keyed by a hash of the header, never the
 * password itself) so heartbeat senders do not pay a password hash per request.
 */
public class ApiAuthenticationFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated {@link ApiUser}. */
    public static final String USER_ATTRIBUTE = ApiAuthenticationFilter.class.getName() + ".user";

    private static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final int CACHE_LIMIT = 1_000;

    private final IdentityService identityService;
    private final Clock clock;
    private final Map<String, Cached> verified = new ConcurrentHashMap<>();

    public ApiAuthenticationFilter(IdentityService identityService, Clock clock) {
        this.identityService = identityService;
        this.clock = clock;
    }

    /** Open without credentials: health probes, and the engine list (as the engine's own filter leaves it). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || ("GET".equals(request.getMethod()) && (path.equals("/engine-rest/engine") || path.equals("/engine-rest/engine/")));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        ApiUser user = header == null ? null : authenticate(header);
        if (user == null) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Basic realm=\"continuity-orchestrator\"");
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                    + "\"detail\":\"HTTP Basic credentials of an orchestrator user are required\"}");
            return;
        }
        request.setAttribute(USER_ATTRIBUTE, user);
        identityService.setAuthentication(user.id(), user.groups());
        try {
            chain.doFilter(request, response);
        } finally {
            identityService.clearAuthentication();
        }
    }

    private ApiUser authenticate(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String key = sha256(header);
        Instant now = clock.instant();
        Cached cached = verified.get(key);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.user();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String userId = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (!identityService.checkPassword(userId, password)) {
            return null;
        }
        List<String> groups = identityService.createGroupQuery().groupMember(userId).list().stream()
                .map(Group::getId).toList();
        ApiUser user = new ApiUser(userId, groups);
        if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
        }
        verified.put(key, new Cached(user, now.plus(CACHE_TTL)));
        return user;
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Cached(ApiUser user, Instant expires) {
    }
}
