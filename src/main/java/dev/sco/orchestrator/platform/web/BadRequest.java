package dev.sco.orchestrator.platform.web;

import org.springframework.http.HttpStatus;

/** 400: the named input is missing, malformed or refers to something that does not exist. */
public class BadRequest extends ApiProblem {

    public BadRequest(String field, String detail) {
        super(HttpStatus.BAD_REQUEST, field, detail);
    }
}
