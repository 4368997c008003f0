package dev.sco.orchestrator.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.sco.orchestrator.platform.web.ProblemResponses;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic authentication of the orchestrator API and the engine REST API against the engine's
 * identity service, so one set of users and groups serves {@code /api}, {@code /engine-rest} and
 * the web apps. The authenticated user and groups are set on the engine for the request, so the
 * engine's authorization checks apply to engine REST calls.
 * <p>
 * Health ({@code /actuator/health/**}) is open without credentials (status only); a request that
 * sends credentials there is authenticated like any other, so its user may see details. Members of
 * {@link Groups#HEARTBEAT_SENDERS} (and of no other group) may call the heartbeat endpoints only.
 * <p>
 * A verified credential is remembered for a few seconds (keyed by a hash of the header, never the
 * password itself) so heartbeat senders do not pay a password hash per request.
 */
public class ApiAuthenticationFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated {@link ApiUser}. */
    public static final String USER_ATTRIBUTE = ApiAuthenticationFilter.class.getName() + ".user";

    private static final Pattern HEARTBEAT_PATHS = Pattern.compile(
            "/api/servers/[^/]+/heartbeat|/api/heartbeats|/api/hubs/[^/]+/[^/]+/heartbeat");

    private static final String ENGINE = "default";

    private static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final int CACHE_LIMIT = 1_000;

    private final IdentityService identityService;
    private final Clock clock;
    private final Map<String, Cached> verified = new ConcurrentHashMap<>();

    public ApiAuthenticationFilter(IdentityService identityService, Clock clock) {
        this.identityService = identityService;
        this.clock = clock;
    }

    /** Open without credentials: the engine list (as the engine's own filter leaves it). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return "GET".equals(request.getMethod()) && (path.equals("/engine-rest/engine") || path.equals("/engine-rest/engine/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        boolean health = path.equals("/actuator/health") || path.startsWith("/actuator/health/");
        String header = request.getHeader("Authorization");
        if (health && header == null) {
            // Health answers anonymous callers (load balancers) with the status only.
            chain.doFilter(request, response);
            return;
        }
        ApiUser user = header != null ? authenticate(header)
                : consoleRead(request.getMethod(), path) && consoleRead(request.getMethod(), mappedPath(request))
                        ? sessionUser(request) : null;
        if (user == null) {
            // Also for health: a wrong credential there is a password guess like any other (and is throttled).
            response.setHeader("WWW-Authenticate", "Basic realm=\"continuity-orchestrator\"");
            ProblemResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", null,
                    "HTTP Basic credentials of an orchestrator user are required");
            return;
        }
        if (user.heartbeatSenderOnly() && !health && !heartbeat(request.getMethod(), path)) {
            ProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", null,
                    "Members of " + Groups.HEARTBEAT_SENDERS + " may only send heartbeats");
            return;
        }
        request.setAttribute(USER_ATTRIBUTE, user);
        identityService.setAuthentication(user.id(), user.groups());
        try {
            chain.doFilter(new AuthenticatedRequest(request, user), response);
        } finally {
            identityService.clearAuthentication();
        }
    }

    /** The three heartbeat endpoints, the only thing a heartbeat sender may call. */
    static boolean heartbeat(String method, String path) {
        return "POST".equals(method) && HEARTBEAT_PATHS.matcher(path).matches();
    }

    /**
     * The continuity console's reads ({@code GET /api/console/...}) also accept the web apps' login
     * session, so an operator signed in to Cockpit sees the console without a second password.
     * Only reads: a write through a session cookie could be forged by another site (CSRF).
     */
    static boolean consoleRead(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method)) && path.startsWith("/api/console/");
    }

    /**
     * The user of the web apps' session for the default engine, with the groups the identity
     * service holds now (a user removed or moved to other groups since the login gets no more).
     */
    private ApiUser sessionUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
        Authentication authentication = authentications == null ? null
                : authentications.getAuthenticationForProcessEngine(ENGINE);
        if (authentication == null || authentication.getName() == null) {
            return null;
        }
        String userId = authentication.getName();
        if (identityService.createUserQuery().userId(userId).count() == 0) {
            return null;
        }
        List<String> groups = identityService.createGroupQuery().groupMember(userId).list().stream()
                .map(Group::getId).toList();
        return new ApiUser(userId, groups);
    }

    /**
     * The path as the container maps it (decoded, dot segments and path parameters removed): a raw
     * path that starts like the console's may lead elsewhere ({@code /api/console/../servers}).
     */
    private static String mappedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        return servletPath + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
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

    /**
     * Carries the user as the servlet principal, its groups as roles: Spring Boot's health endpoint
     * asks the request (not Spring Security, which this service does not use) whether to show details
     * ({@code management.endpoint.health.roles}).
     */
    private static final class AuthenticatedRequest extends HttpServletRequestWrapper {

        private final ApiUser user;

        AuthenticatedRequest(HttpServletRequest request, ApiUser user) {
            super(request);
            this.user = user;
        }

        @Override
        public Principal getUserPrincipal() {
            return user::id;
        }

        @Override
        public String getRemoteUser() {
            return user.id();
        }

        @Override
        public boolean isUserInRole(String role) {
            return user.groups().contains(role);
        }

        @Override
        public String getAuthType() {
            return HttpServletRequest.BASIC_AUTH;
        }
    }
}
