package dev.sco.orchestrator.platform.web;

import org.springframework.http.HttpStatus;

/** 403: the caller is authenticated but not in a group allowed to do this. */
public class Forbidden extends ApiProblem {

    public Forbidden(String detail) {
        super(HttpStatus.FORBIDDEN, null, detail);
    }
}
