package dev.sco.orchestrator.platform.http;

import java.net.URI;
import java.net.URISyntaxException;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Addresses the orchestrator calls out to (consumers, management servers): checked once when registered. */
public final class CalloutAddress {

    public static final int MAX_LENGTH = 1024;

    private CalloutAddress() {
    }

    /**
     * An absolute http or https address with a host, without credentials or fragment; a
     * {@link BadRequest} naming {@code field} otherwise.
     */
    public static String check(String field, String url) {
        Inputs.text(field, url, MAX_LENGTH);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BadRequest(field, "'" + field + "' is not a valid address: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new BadRequest(field, "'" + field + "' must be an http or https address with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadRequest(field, "'" + field + "' must not carry credentials: give calloutAuth instead");
        }
        if (uri.getRawFragment() != null) {
            throw new BadRequest(field, "'" + field + "' must not have a fragment");
        }
        return url;
    }

    /** Scheme, host, port and path: what logs and records show of an address (never its query). */
    public static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (RuntimeException e) {
            return "(invalid address)";
        }
    }
}
