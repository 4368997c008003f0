package dev.sco.orchestrator.platform.web;

import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every refused request of the orchestrator API into an RFC 7807 problem with a
 * {@code field} property naming the offending input. Replaces Spring Boot's default problem
 * handler (same base class), so framework errors (405, 415, ...) stay problem details too.
 * <p>
 * Body errors name the JSON path Jackson reports ({@code chain[1]}, {@code [3].at}); errors of
 * the body as a whole (malformed JSON, missing, too large) name {@code body}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    /** The field name used when the body as a whole is at fault. */
    public static final String BODY = "body";

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem problem) {
        return problem(problem.status(), problem.field(), problem.detail());
    }

    /**
     * Input is validated before anything is written, so this is a race with another request
     * (or a bug): answer 409 rather than 500, and log it.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> integrityViolation(DataIntegrityViolationException e) {
        log.warn("Request refused by a database constraint: {}", e.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, null,
                "The request conflicts with the current state (changed concurrently?); nothing was written");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyTooLargeException tooLarge) {
                return problem(HttpStatus.PAYLOAD_TOO_LARGE, BODY, tooLarge.getMessage());
            }
            // Databind wraps tokeniser errors met inside arrays; they are still syntax errors.
            if (cause instanceof StreamReadException parse) {
                if (parse.getProcessor() != null && parse.getOriginalMessage().startsWith("Duplicate field")) {
                    String field = jsonPath(parse.getProcessor().getParsingContext());
                    return problem(HttpStatus.BAD_REQUEST, field, "'" + field + "' appears twice");
                }
                return problem(HttpStatus.BAD_REQUEST, BODY, "Malformed JSON: " + parse.getOriginalMessage()
                        + location(parse));
            }
        }
        Throwable cause = ex.getCause();
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            return problem(HttpStatus.BAD_REQUEST, field, describe(mapping, field));
        }
        if (cause instanceof MismatchedInputException mismatch) {
            return problem(HttpStatus.BAD_REQUEST, BODY, "The body must be " + typeName(mismatch.getTargetType()));
        }
        if (cause instanceof JsonProcessingException json) {
            return problem(HttpStatus.BAD_REQUEST, BODY, "Unreadable JSON: " + json.getOriginalMessage());
        }
        return problem(HttpStatus.BAD_REQUEST, BODY, "A JSON request body is required");
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName();
        return problem(HttpStatus.BAD_REQUEST, field,
                "'" + field + "' must be " + typeName(ex.getRequiredType()));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, ex.getParameterName(),
                "Query parameter '" + ex.getParameterName() + "' is required");
    }

    @Override
    protected ResponseEntity<Object> handleMissingPathVariable(MissingPathVariableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, ex.getVariableName(),
                "Path variable '" + ex.getVariableName() + "' is required");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        FieldError error = ex.getBindingResult().getFieldError();
        if (error == null) {
            return problem(HttpStatus.BAD_REQUEST, BODY, "The body is not valid");
        }
        return problem(HttpStatus.BAD_REQUEST, error.getField(),
                "'" + error.getField() + "' " + error.getDefaultMessage());
    }

    /** The one place problems are built: every answer carries {@code field} (null when none). */
    static ResponseEntity<Object> problem(HttpStatus status, String field, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setProperties(field == null ? Map.of() : Map.of("field", field));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** Jackson's reference chain as the API names fields: {@code a.b[2].c}, {@code [0].at}. */
    static String jsonPath(Collection<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? BODY : field.toString();
    }

    /** The path of the parser's current position, for errors found while tokenising. */
    static String jsonPath(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.addFirst((c.getParent() == null || c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            } else if (c.inArray()) {
                parts.addFirst("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            }
        }
        return parts.isEmpty() ? BODY : String.join("", parts);
    }

    private static String describe(JsonMappingException mapping, String field) {
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "Unknown field '" + field + "'" + (known.isEmpty() ? "" : "; known fields: " + known);
        }
        if (mapping instanceof InvalidFormatException invalid) {
            return "'" + field + "' has the invalid value '" + invalid.getValue() + "': it must be "
                    + typeName(invalid.getTargetType());
        }
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "'" + field + "' must be " + typeName(mismatch.getTargetType());
        }
        if (mapping instanceof ValueInstantiationException) {
            return "'" + field + "' is not valid";
        }
        return "'" + field + "' cannot be read: " + mapping.getOriginalMessage();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time with offset, e.g. 2025-01-31T12:00:00Z";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    private static String location(StreamReadException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
