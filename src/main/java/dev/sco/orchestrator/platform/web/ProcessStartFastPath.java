package dev.sco.orchestrator.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.platform.LatestDefinitions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.dto.VariableValueDto;
import org.camunda.bpm.engine.rest.dto.runtime.ProcessInstanceDto;
import org.camunda.bpm.engine.rest.dto.runtime.StartProcessInstanceDto;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.mapper.JacksonConfigurator;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.VariableMap;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers the most common process start of the engine REST API,
 * {@code POST /engine-rest/process-definition/key/{key}/start}, without going through the REST
 * API's request routing, and finds the latest definition of the key with one plain lookup, remembered
 * until a definition changes ({@link LatestDefinitions}), instead of the REST API's general
 * definition query (which, with authorization on, is a large query built anew for every start). The answer is the one the REST API gives: the same status, the same JSON
 * (built with the REST API's own classes and JSON settings), the same error bodies.
 * <p>
 * Only a start the REST API would answer exactly so is served here: a JSON body of nothing but
 * {@code variables} of plain types (String, Boolean, Integer, Long, Short, Double, Null) and a
 * {@code businessKey}, for a definition without tenant that exists, that the caller may read
 * and that is not suspended. Anything else (other variable types, {@code valueInfo}, start
 * instructions, {@code withVariablesInReturn}, unknown fields, malformed JSON, a tenant or engine
 * in the path) goes on to the REST API unchanged, with the body as it was sent. Until the start
 * itself, nothing has been written, so handing the request on is always safe; once the start was
 * attempted, its outcome is answered here, as the REST API would answer it.
 * <p>
 * It runs after every other filter of the service: authentication (whose user the engine's own
 * CREATE and CREATE_INSTANCE checks see), the write guard and the process start rails.
 */
public class ProcessStartFastPath extends OncePerRequestFilter {

    /** The path after the context path; a key of plain characters only (no encoding, no path parameters). */
    private static final Pattern START = Pattern.compile("^/engine-rest/process-definition/key/([A-Za-z0-9_.\\-]+)/start$");
    private static final String REST_ROOT = "/engine-rest";
    private static final int MAX_BODY = 1 << 20;
    private static final Set<String> FIELDS = Set.of("variables", "businessKey");
    private static final Set<String> VARIABLE_FIELDS = Set.of("value", "type");

    private final ProcessEngine engine;
    private final CommandExecutor commands;
    private final LatestDefinitions definitions;
    /** The REST API's JSON settings, for reading the body and writing the answer. */
    private final ObjectMapper json = JacksonConfigurator.configureObjectMapper(new ObjectMapper());
    private final LongAdder served = new LongAdder();
    private final LongAdder handedOn = new LongAdder();

    public ProcessStartFastPath(ProcessEngine engine, LatestDefinitions definitions) {
        this.engine = engine;
        this.definitions = definitions;
        this.commands = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getCommandExecutorTxRequired();
    }

    /** How many starts this filter has answered itself (not handed on to the REST API). */
    public long served() {
        return served.sum();
    }

    /** How many starts by key this filter has looked at and handed on to the REST API. */
    public long handedOn() {
        return handedOn.sum();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || key(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = key(request);
        if (key == null || !jsonContent(request.getContentType()) || !acceptsJson(request.getHeader("Accept"))
                || request.getContentLengthLong() > MAX_BODY) {
            handOn(request, response, chain);
            return;
        }
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes(MAX_BODY + 1);
        HttpServletRequest again = new ReplayedBodyRequest(request, body, body.length > MAX_BODY ? in : null);
        if (body.length > MAX_BODY) {
            handOn(again, response, chain);
            return;
        }
        VariableMap variables;
        String businessKey;
        try {
            StartProcessInstanceDto start = plainStart(body);
            if (start == null) {
                handOn(again, response, chain);
                return;
            }
            // As the REST API converts them; a value it refuses is left to it to answer.
            variables = VariableValueDto.toMap(start.getVariables(), engine, json);
            businessKey = start.getBusinessKey();
        } catch (IOException | RuntimeException e) {
            handOn(again, response, chain);
            return;
        }
        // One transaction finds the definition and, when it is startable, starts it.
        Attempt attempt = new Attempt();
        VariableMap startVariables = variables;
        String startBusinessKey = businessKey;
        ProcessInstance instance;
        try {
            instance = commands.execute(context -> startIfStartable(context, key, startBusinessKey, startVariables, attempt));
        } catch (AuthorizationException e) {
            if (!attempt.started) {
                handOn(again, response, chain);
                return;
            }
            writeError(response, e);
            return;
        } catch (ProcessEngineException e) {
            if (!attempt.started) {
                handOn(again, response, chain);
                return;
            }
            writeError(response, new RestException(jakarta.ws.rs.core.Response.Status.INTERNAL_SERVER_ERROR, e,
                    String.format("Cannot instantiate process definition %s: %s", attempt.definitionId, e.getMessage())));
            return;
        } catch (RuntimeException e) {
            if (!attempt.started) {
                // Nothing written: the REST API gives its own answer to whatever went wrong (a database away).
                handOn(again, response, chain);
                return;
            }
            // The REST API's catch-all answer for anything else a start throws.
            writeError(response, e);
            return;
        }
        if (instance == null) {
            handOn(again, response, chain);
            return;
        }
        ProcessInstanceDto result = ProcessInstanceDto.fromProcessInstance(instance);
        result.addReflexiveLink(URI.create(baseUri(request) + "process-instance/" + instance.getId()), "GET", "self");
        write(response, HttpServletResponse.SC_OK, json.writeValueAsBytes(result));
    }

    private void handOn(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        handedOn.increment();
        chain.doFilter(request, response);
    }

    /** The definition's key, when the request is a start by key on the default engine without tenant. */
    private static String key(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (uri == null || !uri.startsWith(contextPath)) {
            return null;
        }
        Matcher matcher = START.matcher(uri.substring(contextPath.length()));
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** {@code application/json}, with no parameter but a UTF-8 charset. */
    static boolean jsonContent(String contentType) {
        if (contentType == null) {
            return false;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        if (!MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)) {
            return false;
        }
        for (Map.Entry<String, String> parameter : type.getParameters().entrySet()) {
            if (!"charset".equals(parameter.getKey().toLowerCase(Locale.ROOT))
                    || !"utf-8".equals(parameter.getValue().toLowerCase(Locale.ROOT).replace("\"", ""))) {
                return false;
            }
        }
        return true;
    }

    /** No Accept header, or one that takes JSON (the only answer the REST API's start gives; else it answers 406). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            for (MediaType type : MediaType.parseMediaTypes(accept)) {
                if (type.getQualityValue() > 0 && type.includes(MediaType.APPLICATION_JSON)) {
                    return true;
                }
            }
        } catch (IllegalArgumentException e) { // InvalidMediaTypeException too
            return false;
        }
        return false;
    }

    /**
     * The body as the REST API reads it, when it asks for nothing but a start at the start event
     * with plain variables and perhaps a business key; null for anything else.
     */
    StartProcessInstanceDto plainStart(byte[] body) throws IOException {
        if (body.length == 0) {
            return new StartProcessInstanceDto(); // the REST API reads an empty JSON body as {}
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject() || !plain(root)) {
            return null;
        }
        return json.treeToValue(root, StartProcessInstanceDto.class);
    }

    private static boolean plain(JsonNode root) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            if (!FIELDS.contains(names.next())) {
                return false;
            }
        }
        JsonNode businessKey = root.get("businessKey");
        if (businessKey != null && !businessKey.isNull() && !businessKey.isTextual()) {
            return false;
        }
        JsonNode variables = root.get("variables");
        if (variables == null || variables.isNull()) {
            return true;
        }
        if (!variables.isObject()) {
            return false;
        }
        for (JsonNode variable : variables) {
            if (!plainVariable(variable)) {
                return false;
            }
        }
        return true;
    }

    /** {@code {"value": v, "type": t}} with a plain type and a JSON value of that type (or null). */
    private static boolean plainVariable(JsonNode variable) {
        if (variable == null || !variable.isObject()) {
            return false;
        }
        for (Iterator<String> names = variable.fieldNames(); names.hasNext(); ) {
            if (!VARIABLE_FIELDS.contains(names.next())) {
                return false;
            }
        }
        JsonNode type = variable.get("type");
        JsonNode value = variable.get("value");
        boolean none = value == null || value.isNull();
        if (type == null || type.isNull()) {
            // Untyped: the engine takes the value's own type.
            return none || value.isTextual() || value.isBoolean()
                    || value.isIntegralNumber() && value.canConvertToLong() || value.isFloatingPointNumber();
        }
        if (!type.isTextual() || type.textValue().isEmpty()) {
            return false;
        }
        // The REST API's type names: the engine's with the first letter in either case.
        String name = type.textValue().substring(0, 1).toLowerCase(Locale.ROOT) + type.textValue().substring(1);
        return switch (name) {
            case "string" -> none || value.isTextual();
            case "boolean" -> none || value.isBoolean();
            case "integer" -> none || value.isIntegralNumber() && value.canConvertToInt();
            case "long" -> none || value.isIntegralNumber() && value.canConvertToLong();
            case "short" -> none || value.isIntegralNumber() && value.canConvertToInt()
                    && value.intValue() >= Short.MIN_VALUE && value.intValue() <= Short.MAX_VALUE;
            case "double" -> none || value.isNumber() && Double.isFinite(value.doubleValue());
            case "null" -> none;
            default -> false;
        };
    }

    /**
     * Inside one engine command: the latest version of the key without tenant (remembered in
     * {@link LatestDefinitions} until a definition changes), when the caller may
     * read it (as the REST API's definition query checks) and it is active, started; null when it is
     * not (nothing written), and the REST API then gives its own answer (404 for a definition missing
     * or not readable, its error for a suspended one). Once the start is attempted its outcome
     * (instance or exception) is this request's answer, never handed on.
     */
    private ProcessInstance startIfStartable(CommandContext context, String key, String businessKey,
                                             VariableMap variables, Attempt attempt) {
        LatestDefinitions.Latest definition = definitions.latest(key,
                () -> context.getProcessDefinitionManager().findLatestProcessDefinitionByKeyAndTenantId(key, null));
        if (definition == null || definition.suspended()) {
            return null;
        }
        if (!context.getAuthorizationManager().isAuthorized(Permissions.READ, Resources.PROCESS_DEFINITION, key)) {
            return null;
        }
        attempt.definitionId = definition.id();
        attempt.started = true;
        served.increment();
        return engine.getRuntimeService().createProcessInstanceById(definition.id())
                .businessKey(businessKey)
                .setVariables(variables)
                .execute();
    }

    /** What the command got to: whether the start was attempted, and for which definition. */
    private static final class Attempt {
        private boolean started;
        private String definitionId;
    }

    /**
     * The base URI the REST API links from: the address the request was sent to (scheme, host and
     * port as the request names them), the context path and the REST API's root.
     */
    private static String baseUri(HttpServletRequest request) {
        StringBuffer url = request.getRequestURL();
        String origin = url.substring(0, url.length() - request.getRequestURI().length());
        return origin + request.getContextPath() + REST_ROOT + "/";
    }

    /** Status and body as the REST API's exception handling gives them (and logs them). */
    private void writeError(HttpServletResponse response, Throwable error) throws IOException {
        ExceptionHandlerHelper helper = ExceptionHandlerHelper.getInstance();
        org.camunda.bpm.engine.rest.exception.ExceptionLogger.REST_LOGGER.log(error);
        ExceptionDto dto = helper.fromException(error);
        write(response, helper.getStatus(error).getStatusCode(), json.writeValueAsBytes(dto));
    }

    private static void write(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
