package dev.sco.orchestrator.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import dev.sco.orchestrator.platform.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs before authentication on every surface that checks a password ({@code /api},
 * {@code /engine-rest}, {@code /actuator}, the webapps' login): a blocked address gets 429 with
 * {@code Retry-After} and costs no password check; a request that carried a credential and was
 * answered 401 counts as a failed login of its address. Requests without any credential are not
 * counted (a browser's or a probe's first unauthenticated try is no guess).
 */
class LoginThrottleFilter extends OncePerRequestFilter {

    static final String WEBAPP_LOGIN = "/camunda/api/admin/auth/user/default/login/";

    private final LoginThrottle throttle;

    LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = throttle.clientAddress(request);
        Optional<Duration> blocked = throttle.blockedFor(address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            ProblemResponses.write(response, 429, "Too Many Requests", null,
                    "Too many failed logins from this address; try again in " + seconds + " s");
            return;
        }
        chain.doFilter(request, response);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean credentialSent = request.getHeader("Authorization") != null || path.startsWith(WEBAPP_LOGIN);
        if (credentialSent && response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            throttle.failed(address);
        }
    }
}
