package dev.sco.orchestrator.platform.target;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDBC URL of a target database, parsed rather than prefix-checked: exactly
 * {@code jdbc:postgresql://host[:port]/database[?params]} with one host (a DNS name, an IPv4
 * address or a bracketed IPv6 address), a port of 1-65535, a plain database name and only the
 * parameters of {@link #ALLOWED_PARAMETERS}.
 * <p>
 * Why so strict: the driver lets URL parameters override the connection properties the
 * orchestrator sets (timeouts, {@code options}), load classes ({@code sslfactory},
 * {@code socketFactory}), write files ({@code loggerFile}) or carry credentials
 * ({@code password}, {@code sslpassword}). Whoever may register a database must not get any of
 * that. Messages name the offending part, never a parameter's value (it may be a secret).
 */
public record TargetJdbcUrl(String host, int port, String database, Map<String, String> parameters) {

    static final String PREFIX = "jdbc:postgresql://";

    /**
     * Transport security and the files that configure it, nothing else: {@code sslmode} decides
     * whether and how the server is verified, the three file parameters name the CA and client
     * certificate on the orchestrator's host. {@code sslpassword} is a secret and stays out; timeouts,
     * {@code options}, factories, logging and multi-host settings belong to the orchestrator.
     */
    public static final Set<String> ALLOWED_PARAMETERS = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey");

    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private static final Pattern SHAPE = Pattern.compile(
            "jdbc:postgresql://(\\[[0-9A-Fa-f:.]+]|[^/:\\[\\]?]+)(?::([0-9]{1,5}))?/([^?]*)(?:\\?(.*))?", Pattern.DOTALL);
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    public TargetJdbcUrl {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * @throws IllegalArgumentException naming what is wrong (never a parameter value)
     */
    public static TargetJdbcUrl parse(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("must be a PostgreSQL JDBC URL (" + PREFIX + "host:port/database)");
        }
        if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("must not contain whitespace or control characters");
        }
        if (url.indexOf('#') >= 0) {
            throw new IllegalArgumentException("must not contain '#'");
        }
        Matcher m = SHAPE.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be exactly " + PREFIX + "host[:port]/database[?parameters]");
        }
        String host = host(m.group(1));
        int port = 5432;
        if (m.group(2) != null) {
            port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535");
            }
        }
        String database = m.group(3);
        if (!DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("database must be a plain name (1-63 letters, digits, '_', '.', '-')");
        }
        return new TargetJdbcUrl(host, port, database, parameters(m.group(4)));
    }

    /** The host as written, lower-cased; an IPv6 address keeps its brackets. */
    private static String host(String host) {
        if (host.indexOf(',') >= 0) {
            throw new IllegalArgumentException("must name exactly one host (multi-host URLs are refused)");
        }
        if (host.startsWith("[")) {
            InetAddress address;
            try {
                // Only hex digits, ':' and '.' get here, so this parses a literal and never asks DNS.
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host is not a valid IPv6 address");
            }
            // One spelling per address, so the allow-list compares addresses, not notations.
            return address instanceof Inet4Address ? address.getHostAddress() : "[" + address.getHostAddress() + "]";
        }
        if (IPV4.matcher(host).matches()) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("host is not a valid IPv4 address");
                }
            }
            return host;
        }
        if (host.length() > 253) {
            throw new IllegalArgumentException("host name is longer than 253 characters");
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("host must be a DNS name, an IPv4 address or a bracketed IPv6 address");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            // All-numeric last label: an address in disguise (e.g. 10.1 or 127.1), which resolvers read loosely.
            throw new IllegalArgumentException("host must be a DNS name, an IPv4 address or a bracketed IPv6 address");
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!PARAMETER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("has a malformed parameter");
            }
            if (!ALLOWED_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("parameter '" + name + "' is not allowed (allowed: "
                        + String.join(", ", ALLOWED_PARAMETERS.stream().sorted().toList()) + ")");
            }
            if (eq < 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("parameter '" + name + "' needs a value");
            }
            String value;
            try {
                // The driver decodes parameter values this way; checking the decoded value checks what it will use.
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter '" + name + "' is not properly encoded");
            }
            if (value.isEmpty() || value.length() > 512 || value.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("parameter '" + name + "' has an unusable value");
            }
            if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
                throw new IllegalArgumentException("parameter 'sslmode' must be one of "
                        + String.join(", ", SSL_MODES.stream().sorted().toList()));
            }
            if (parameters.put(name, value) != null) {
                throw new IllegalArgumentException("parameter '" + name + "' is given twice");
            }
        }
        return parameters;
    }

    /**
     * The URL the driver gets: host, port and database only. The allowed parameters travel as
     * connection properties, set before the orchestrator's own so those always win.
     */
    public String connectionUrl() {
        return PREFIX + host + ":" + port + "/" + database;
    }

    /** The host without IPv6 brackets, as compared with {@code ORCHESTRATOR_TARGET_ALLOWED_HOSTS}. */
    public String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** A host as written in the allow-list, checked with the same rules as a URL's host. */
    static String allowListEntry(String entry) {
        String host = entry.trim();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        String parsed = host(host);
        return parsed.startsWith("[") ? parsed.substring(1, parsed.length() - 1) : parsed;
    }
}
