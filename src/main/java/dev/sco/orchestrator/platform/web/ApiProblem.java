package dev.sco.orchestrator.platform.web;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, answered as an RFC 7807 problem by {@link ApiExceptionHandler}.
 * {@code field} names the offending input: a JSON path into the body ({@code chain[2]},
 * {@code [0].at}), a path variable ({@code name}) or a query parameter; it may be null when no
 * single input is to blame. Throw it before writing anything, so a refused request changes nothing.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    public ApiProblem(HttpStatus status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String detail() {
        return getMessage();
    }
}
