package dev.sco.orchestrator.dbfailover;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.target.TargetRules;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/databases/{name}/fencing}: the fencing methods of a database, in the order the fence
 * tries them. A PUT replaces the whole list at once (all or nothing); like the database itself,
 * only DBAs and administrators change it. An empty list goes back to the SQL fence alone.
 * Answers name an agent's password variable, never the password.
 */
@RestController
class FencingMethodController {

    static final int MAX_METHODS = 10;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final FencingMethodRepository repository;
    private final TargetRules rules;
    private final Clock clock;

    FencingMethodController(FencingMethodRepository repository, TargetRules rules, Clock clock) {
        this.repository = repository;
        this.rules = rules;
        this.clock = clock;
    }

    /** Body of the PUT. */
    record FencingMethodsRequest(List<MethodRequest> methods) {
    }

    /**
     * One method: {@code kind} is {@code sql}, {@code agent} ({@code url}, {@code username},
     * {@code passwordEnv}, optional {@code timeout}, default 5s) or {@code writers}
     * ({@code onlyWriters: true}).
     */
    record MethodRequest(String kind, String url, String username, String passwordEnv, String timeout,
                         Boolean onlyWriters) {
    }

    /** The answer: the database and its methods in order ({@code defaulted}: none registered, the SQL fence alone). */
    record FencingMethods(String database, List<FencingMethod> methods, boolean defaulted) {
    }

    @PutMapping("/api/databases/{name}/fencing")
    @Transactional
    public FencingMethods put(@PathVariable String name, @RequestBody FencingMethodsRequest body, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.ADMIN);
        String database = Inputs.name("name", name);
        List<FencingMethod> methods = validate(Inputs.required("methods", body.methods()));
        if (!repository.lockDatabase(database)) {
            throw new NotFound("name", "No database named " + database);
        }
        repository.replace(database, methods, user.id(), clock.instant());
        return get(database);
    }

    @GetMapping("/api/databases/{name}/fencing")
    public FencingMethods get(@PathVariable String name) {
        String database = Inputs.name("name", name);
        if (!repository.databaseExists(database)) {
            throw new NotFound("name", "No database named " + database);
        }
        List<FencingMethod> methods = repository.methods(database);
        return new FencingMethods(database, methods.isEmpty() ? List.of(FencingMethod.defaultSql()) : methods,
                methods.isEmpty());
    }

    /** Every method a failover's fence (and a restoration's unfence) tried, in order, with its evidence. */
    @GetMapping("/api/failovers/{id}/fencing")
    public List<FencingMethodRepository.Attempt> attempts(@PathVariable long id) {
        return repository.attempts(id);
    }

    private List<FencingMethod> validate(List<MethodRequest> requests) {
        if (requests.size() > MAX_METHODS) {
            throw new BadRequest("methods", "'methods' lists at most " + MAX_METHODS + " methods");
        }
        List<FencingMethod> methods = new ArrayList<>();
        Set<String> once = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            String field = "methods[" + i + "]";
            MethodRequest m = requests.get(i);
            if (m == null) {
                throw new BadRequest(field, "'" + field + "' must be a method");
            }
            String kind = Inputs.required(field + ".kind", m.kind());
            switch (kind) {
                case FencingMethod.SQL, FencingMethod.WRITERS -> {
                    for (String[] f : new String[][] {{"url", m.url()}, {"username", m.username()},
                            {"passwordEnv", m.passwordEnv()}, {"timeout", m.timeout()}}) {
                        if (f[1] != null) {
                            throw new BadRequest(field + "." + f[0], "'" + f[0] + "' belongs to agent methods only");
                        }
                    }
                    if (!once.add(kind)) {
                        throw new BadRequest(field + ".kind", "'" + kind + "' is listed twice");
                    }
                    if (FencingMethod.SQL.equals(kind) && m.onlyWriters() != null) {
                        throw new BadRequest(field + ".onlyWriters", "'onlyWriters' belongs to the writers method only");
                    }
                    if (FencingMethod.WRITERS.equals(kind) && !Boolean.TRUE.equals(m.onlyWriters())) {
                        throw new BadRequest(field + ".onlyWriters", "the writers method is valid only when the "
                                + "consumers bound to the database are its only writers: declare it with "
                                + "'onlyWriters': true");
                    }
                    methods.add(new FencingMethod(i, kind, null, null, null, null,
                            FencingMethod.WRITERS.equals(kind) ? Boolean.TRUE : null, null, null));
                }
                case FencingMethod.AGENT -> {
                    if (m.onlyWriters() != null) {
                        throw new BadRequest(field + ".onlyWriters", "'onlyWriters' belongs to the writers method only");
                    }
                    String url = agentUrl(field + ".url", m.url());
                    String username = Inputs.text(field + ".username", m.username(), 128);
                    if (username.contains(":")) {
                        throw new BadRequest(field + ".username", "'username' must not contain ':'");
                    }
                    Inputs.required(field + ".passwordEnv", m.passwordEnv());
                    String problem = rules.passwordEnvProblem(m.passwordEnv());
                    if (problem != null) {
                        throw new BadRequest(field + ".passwordEnv", problem);
                    }
                    methods.add(new FencingMethod(i, kind, url, username, m.passwordEnv(),
                            timeout(field + ".timeout", m.timeout()), null, null, null));
                }
                default -> throw new BadRequest(field + ".kind", "'kind' must be sql, agent or writers");
            }
        }
        return methods;
    }

    private static String agentUrl(String field, String url) {
        Inputs.text(field, url, 1024);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BadRequest(field, "'url' is not a valid address: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new BadRequest(field, "'url' must be an http or https address with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadRequest(field, "'url' must not carry credentials: give username and passwordEnv");
        }
        if (uri.getRawFragment() != null) {
            throw new BadRequest(field, "'url' must not have a fragment");
        }
        return url;
    }

    private static Duration timeout(String field, String value) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        Duration timeout;
        try {
            timeout = DurationStyle.detectAndParse(value.trim());
        } catch (RuntimeException e) {
            throw new BadRequest(field, "'timeout' must be a duration such as 5s or PT5S");
        }
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new BadRequest(field, "'timeout' must be between 100ms and 60s");
        }
        return timeout;
    }
}
