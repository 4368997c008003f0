package dev.sco.orchestrator.platform.web;

import java.io.IOException;

/** Raised while reading a body that grows past the API's limit (chunked bodies have no length). */
class RequestBodyTooLargeException extends IOException {

    RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
    }
}
