package dev.sco.orchestrator.platform.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sco.orchestrator.platform.InvalidSettingException;
import dev.sco.orchestrator.platform.OrchestratorProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * What a registered target database may name: the environment variable of its password and the
 * server it connects to. Checked when a database is registered (a 400 naming the field) and again
 * whenever a pool or probe connects, so a row written before these rules, or by hand, cannot
 * send the orchestrator's own secrets to a server of someone's choosing.
 */
@Component
public class TargetRules {

    public static final String PREFIX_SETTING = "ORCHESTRATOR_TARGET_PASSWORD_ENV_PREFIX";
    public static final String ALLOWED_HOSTS_SETTING = "ORCHESTRATOR_TARGET_ALLOWED_HOSTS";

    /** Every setting of the orchestrator starts with this; none of them may be a target's password. */
    static final String OWN_SETTINGS = "ORCHESTRATOR_";
    /** Where the target settings live (pool size, timeouts, these rules): the default prefix shares it. */
    static final String TARGET_SETTINGS = "ORCHESTRATOR_TARGET_";

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]{1,62}_");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(ORCHESTRATOR_[A-Z0-9_]+)");

    /**
     * Secrets and identities that must never be a target's password, whatever the prefix; the
     * rest of the orchestrator's settings are read from {@code application.yaml}.
     */
    private static final Set<String> ALWAYS_OWN = Set.of("ORCHESTRATOR_DB_PASSWORD", "ORCHESTRATOR_ADMIN_PASSWORD",
            "ORCHESTRATOR_DB_USER", "ORCHESTRATOR_DB_URL", "ORCHESTRATOR_ADMIN_USER");

    private static final Set<String> OWN_SETTING_NAMES = ownSettingNames();

    private final String passwordEnvPrefix;
    private final Set<String> allowedHosts;

    @Autowired
    public TargetRules(OrchestratorProperties settings) {
        this(settings.targets());
    }

    public TargetRules(OrchestratorProperties.Targets targets) {
        validate(targets);
        this.passwordEnvPrefix = targets.passwordEnvPrefix();
        this.allowedHosts = allowedHosts(targets.allowedHosts());
    }

    /** Start-up check of the two settings; an {@link InvalidSettingException} names the variable. */
    public static void validate(OrchestratorProperties.Targets targets) {
        String prefix = targets.passwordEnvPrefix();
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new InvalidSettingException(PREFIX_SETTING,
                    "must be 3-64 upper-case letters, digits and '_', ending with '_' (default " + TARGET_SETTINGS + ")");
        }
        if (OWN_SETTINGS.startsWith(prefix)) {
            throw new InvalidSettingException(PREFIX_SETTING, "'" + prefix + "' would let a target database name any "
                    + "of the orchestrator's own settings (" + OWN_SETTINGS + "...) as its password");
        }
        for (String own : OWN_SETTING_NAMES) {
            if (own.startsWith(prefix) && !own.startsWith(TARGET_SETTINGS)) {
                throw new InvalidSettingException(PREFIX_SETTING, "'" + prefix + "' covers the orchestrator's own setting "
                        + own + "; choose a prefix used only for target database passwords");
            }
        }
        allowedHosts(targets.allowedHosts());
    }

    private static Set<String> allowedHosts(String setting) {
        Set<String> hosts = new LinkedHashSet<>();
        if (setting == null) {
            return hosts;
        }
        for (String entry : setting.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                hosts.add(TargetJdbcUrl.allowListEntry(entry));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(ALLOWED_HOSTS_SETTING, "'" + entry.trim() + "': " + e.getMessage());
            }
        }
        return Set.copyOf(hosts);
    }

    /** The prefix every password variable of a target must start with ({@value #PREFIX_SETTING}). */
    public String passwordEnvPrefix() {
        return passwordEnvPrefix;
    }

    /** Why {@code passwordEnv} may not be used, or null when it may (null itself: no password). */
    public String passwordEnvProblem(String passwordEnv) {
        if (passwordEnv == null) {
            return null;
        }
        if (!ENV_NAME.matcher(passwordEnv).matches()) {
            return "'passwordEnv' must be the name of an environment variable (letters, digits, '_'), not a password";
        }
        // Spring finds ORCHESTRATOR_DB_PASSWORD under orchestrator_db_password too: compare upper-case.
        String upper = passwordEnv.toUpperCase(Locale.ROOT);
        if (!passwordEnv.startsWith(passwordEnvPrefix) || passwordEnv.length() == passwordEnvPrefix.length()) {
            return "'passwordEnv' must name a variable starting with " + passwordEnvPrefix + " (setting "
                    + PREFIX_SETTING + ")";
        }
        if (OWN_SETTING_NAMES.contains(upper) || upper.equals(PREFIX_SETTING) || upper.equals(ALLOWED_HOSTS_SETTING)) {
            return "'passwordEnv' must not name one of the orchestrator's own settings (" + upper + ")";
        }
        return null;
    }

    /**
     * The parsed URL when it may be used.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public TargetJdbcUrl checkJdbcUrl(String jdbcUrl) {
        TargetJdbcUrl url = TargetJdbcUrl.parse(jdbcUrl);
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(url.bareHost())) {
            throw new IllegalArgumentException("host '" + url.bareHost() + "' is not in " + ALLOWED_HOSTS_SETTING);
        }
        return url;
    }

    /** Every {@code ORCHESTRATOR_*} variable {@code application.yaml} reads, and the fixed secrets. */
    static Set<String> ownSettingNames() {
        Set<String> names = new TreeSet<>(ALWAYS_OWN);
        ClassPathResource yaml = new ClassPathResource("application.yaml");
        if (yaml.exists()) {
            try (InputStream in = yaml.getInputStream()) {
                Matcher m = PLACEHOLDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    names.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read application.yaml", e);
            }
        }
        return Set.copyOf(names);
    }

    @Override
    public String toString() {
        return "TargetRules[prefix=" + passwordEnvPrefix + ", allowedHosts=" + Arrays.toString(allowedHosts.toArray()) + "]";
    }
}
