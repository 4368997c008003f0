package dev.sco.orchestrator.platform.web;

import org.springframework.http.HttpStatus;

/** 409: the request is well formed but clashes with the current state (a run in progress, ...). */
public class Conflict extends ApiProblem {

    public Conflict(String field, String detail) {
        super(HttpStatus.CONFLICT, field, detail);
    }
}
