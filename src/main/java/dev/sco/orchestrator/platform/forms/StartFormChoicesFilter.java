package dev.sco.orchestrator.platform.forms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Fills the choices of a deployed start form from the estate as Tasklist (or any engine REST
 * client) loads it. Tasklist gives a Camunda Form opened as a start form no variables at all, so a
 * select cannot take its options from a variable ({@code valuesKey}) there; instead the form marks
 * the select with the custom property {@code choices} (for example {@code primaryDatabases}) and
 * this filter writes the current list as the select's static {@code values} into the form the
 * engine answered. The engine has already checked that the caller may read the form: only a
 * successful answer is rewritten. What is submitted is checked by the process's start rules as
 * always; an offered choice is no permission.
 */
public class StartFormChoicesFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(StartFormChoicesFilter.class);
    private static final Pattern START_FORM = Pattern.compile(
            "^(?:/engine-rest(?:/engine/[^/]+)?|/camunda/api/engine/engine/[^/]+)/process-definition/"
                    + "(?:key/[^/]+(?:/tenant-id/[^/]+)?|[^/]+)/deployed-start-form/?$");

    private final Map<String, FormChoices> choices = new LinkedHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    public StartFormChoicesFilter(List<FormChoices> choices) {
        choices.forEach(c -> this.choices.put(c.name(), c));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !START_FORM.matcher(
                request.getRequestURI().substring(request.getContextPath().length())).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper cached = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, cached);
        byte[] body = cached.getContentAsByteArray();
        if (cached.getStatus() != HttpServletResponse.SC_OK || body.length == 0) {
            cached.copyBodyToResponse();
            return;
        }
        byte[] filled;
        try {
            JsonNode form = json.readTree(body);
            if (form == null || !form.isObject() || !fill(form)) {
                cached.copyBodyToResponse();
                return;
            }
            filled = json.writeValueAsBytes(form);
        } catch (IOException | RuntimeException e) {
            // Not a Camunda Form (an HTML form deployed as start form): leave it as the engine answered.
            log.debug("Start form at {} left as deployed: {}", request.getRequestURI(), e.getMessage());
            cached.copyBodyToResponse();
            return;
        }
        cached.resetBuffer();
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(filled.length);
        response.getOutputStream().write(filled);
    }

    /** Fills every marked select (also inside groups); true when something was filled. */
    boolean fill(JsonNode node) {
        boolean filled = false;
        if (node instanceof ObjectNode component) {
            String name = component.path("properties").path("choices").asText(null);
            FormChoices source = name == null ? null : choices.get(name);
            if (source != null) {
                ArrayNode values = component.putArray("values");
                source.values().stream().limit(FormChoices.MAX)
                        .forEach(v -> values.addObject().put("label", v).put("value", v));
                component.remove("valuesKey");
                component.remove("valuesExpression");
                filled = true;
            }
            JsonNode children = component.get("components");
            if (children != null && children.isArray()) {
                for (JsonNode child : children) {
                    filled |= fill(child);
                }
            }
        }
        return filled;
    }
}
