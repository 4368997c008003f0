package dev.sco.orchestrator.platform.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** Outcome of an idempotent PUT: 201 when it created the resource, 200 when it replaced it. */
public record PutResult<T>(boolean created, T resource) {

    public ResponseEntity<T> toResponse() {
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(resource);
    }
}
