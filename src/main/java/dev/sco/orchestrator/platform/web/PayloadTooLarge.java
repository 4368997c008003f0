package dev.sco.orchestrator.platform.web;

import org.springframework.http.HttpStatus;

/** 413: the body, or a list in it, is larger than the endpoint accepts. */
public class PayloadTooLarge extends ApiProblem {

    public PayloadTooLarge(String field, String detail) {
        super(HttpStatus.PAYLOAD_TOO_LARGE, field, detail);
    }
}
