package dev.sco.orchestrator.platform.web;

import org.springframework.http.HttpStatus;

/** 404: the resource the path names does not exist; {@code field} is the path variable. */
public class NotFound extends ApiProblem {

    public NotFound(String field, String detail) {
        super(HttpStatus.NOT_FOUND, field, detail);
    }
}
