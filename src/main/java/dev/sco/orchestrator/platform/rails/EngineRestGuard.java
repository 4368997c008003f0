package dev.sco.orchestrator.platform.rails;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sco.orchestrator.platform.ApiAuthenticationFilter;
import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.ApiProblem;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Forbidden;
import dev.sco.orchestrator.platform.web.ReplayedBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks a process start sent to the engine REST API or the web apps' engine API (Tasklist start
 * forms) before the engine sees it: the caller must be in a group allowed to start that process,
 * the body must be a JSON object, and the start variables must be the ones the process accepts,
 * with valid values ({@link StartRules}). A refusal answers 400 or 403 with a problem naming the
 * variable, and no process instance is created. The engine would otherwise answer 500 for a start
 * whose first step then fails, or start an instance that can only fail.
 */
public class EngineRestGuard extends OncePerRequestFilter {

    private static final Pattern START = Pattern.compile(
            "^(?:/engine-rest(?:/engine/[^/]+)?|/camunda/api/engine/engine/[^/]+)/process-definition/"
                    + "(?:key/([^/]+)(?:/tenant-id/[^/]+)?|([^/]+))/(?:start|submit-form)/?$");
    private static final Set<String> PLAIN_TYPES =
            Set.of("string", "boolean", "integer", "long", "short", "double", "date", "null");
    private static final int MAX_BODY = 1 << 20;

    private final Map<String, StartRules> rules;
    private final RepositoryService repository;
    private final ObjectMapper json = new ObjectMapper();

    public EngineRestGuard(List<StartRules> rules, RepositoryService repository) {
        this.rules = new LinkedHashMap<>();
        rules.forEach(r -> this.rules.put(r.processKey(), r));
        this.repository = repository;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher start = START.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!start.matches()) {
            chain.doFilter(request, response);
            return;
        }
        String key = start.group(1) != null ? start.group(1) : keyOf(start.group(2));
        StartRules processRules = key == null ? null : rules.get(key);
        if (processRules == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        try {
            check(processRules, groupsOf(request), body);
        } catch (ApiProblem problem) {
            write(response, problem);
            return;
        }
        chain.doFilter(new ReplayedBodyRequest(request, body, null), response);
    }

    private void check(StartRules processRules, List<String> groups, byte[] body) {
        if (processRules.startingGroups().isEmpty()) {
            throw new Forbidden("Process '" + processRules.processKey()
                    + "' is started by the orchestrator itself (its sensors or its /api), never by hand");
        }
        if (groups == null) {
            throw new Forbidden("Starting '" + processRules.processKey() + "' needs an authenticated user");
        }
        if (!groups.contains(Groups.ADMIN) && processRules.startingGroups().stream().noneMatch(groups::contains)) {
            throw new Forbidden("Starting '" + processRules.processKey() + "' needs membership in one of "
                    + processRules.startingGroups() + " or " + Groups.ADMIN);
        }
        if (body.length > MAX_BODY) {
            throw new BadRequest("body", "The request body exceeds " + MAX_BODY + " bytes");
        }
        JsonNode root;
        try {
            root = body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("body", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("body", "The request body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            root = json.createObjectNode();
        }
        if (!root.isObject()) {
            throw new BadRequest("body", "The request body must be a JSON object, not " + root.getNodeType());
        }
        boolean admin = groups.contains(Groups.ADMIN);
        JsonNode instructions = root.get("startInstructions");
        if (!admin && ((instructions != null && !instructions.isNull() && !(instructions.isArray() && instructions.isEmpty()))
                || root.path("skipCustomListeners").asBoolean(false) || root.path("skipIoMappings").asBoolean(false))) {
            throw new Forbidden("A process starts at its start event: startInstructions, skipCustomListeners and "
                    + "skipIoMappings are for members of " + Groups.ADMIN + " only");
        }
        processRules.check(new StartVariables(variables((ObjectNode) root, Set.copyOf(processRules.accepted()))));
    }

    private static Map<String, Object> variables(ObjectNode root, Set<String> accepted) {
        JsonNode variables = root.get("variables");
        Map<String, Object> values = new LinkedHashMap<>();
        if (variables == null || variables.isNull()) {
            return values;
        }
        if (!variables.isObject()) {
            throw new BadRequest("variables", "'variables' must be a JSON object of {\"name\": {\"value\", \"type\"}}");
        }
        var fields = variables.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            String name = entry.getKey();
            String field = StartVariables.field(name);
            if (!accepted.contains(name)) {
                throw new BadRequest(field, "Start variable '" + name + "' is not accepted; this process takes "
                        + accepted.stream().sorted().toList());
            }
            JsonNode variable = entry.getValue();
            if (variable == null || !variable.isObject()) {
                throw new BadRequest(field, "Start variable '" + name + "' must be an object {\"value\", \"type\"}");
            }
            String type = variable.path("type").asText("String");
            if (!PLAIN_TYPES.contains(type.toLowerCase())) {
                throw new BadRequest(field, "Start variable '" + name + "' must be a String, Boolean, number or Date, not "
                        + type);
            }
            JsonNode value = variable.get("value");
            if (value == null || value.isNull()) {
                values.put(name, null);
            } else if (value.isTextual()) {
                values.put(name, value.textValue());
            } else if (value.isNumber()) {
                values.put(name, value.numberValue());
            } else if (value.isBoolean()) {
                values.put(name, value.booleanValue());
            } else {
                throw new BadRequest(field, "Start variable '" + name + "' must have a plain value (text, number, boolean)");
            }
        }
        return values;
    }

    /** The caller's groups: the orchestrator's Basic authentication, else the web apps' session; null: nobody. */
    private static List<String> groupsOf(HttpServletRequest request) {
        if (request.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE) instanceof ApiUser user) {
            return user.groups();
        }
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
        if (authentications == null) {
            return null;
        }
        return authentications.getAuthentications().stream().findFirst().map(UserAuthentication::getGroupIds)
                .orElse(null);
    }

    private String keyOf(String processDefinitionId) {
        try {
            ProcessDefinition definition = repository.createProcessDefinitionQuery()
                    .processDefinitionId(processDefinitionId).singleResult();
            return definition == null ? null : definition.getKey();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void write(HttpServletResponse response, ApiProblem problem) throws IOException {
        response.setStatus(problem.status().value());
        response.setContentType("application/problem+json");
        ObjectNode body = json.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", problem.status().getReasonPhrase());
        body.put("status", problem.status().value());
        body.put("detail", problem.detail());
        // The engine REST API's own error shape carries the text as 'message'.
        body.put("message", problem.detail());
        if (problem.field() != null) {
            body.put("field", problem.field());
        }
        json.writeValue(response.getOutputStream(), body);
    }
}
