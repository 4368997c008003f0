package dev.sco.orchestrator.platform.target;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Set;

/**
 * What a probe of a target database found, in the terms the failover decision needs.
 * <ul>
 * <li>{@link #REACHABLE}: the server answered the probe query.</li>
 * <li>{@link #UNREACHABLE}: nothing (or nothing usable) answered: connection refused, connect or
 *     socket timeout, unknown host, no route, a server shutting down or in crash recovery. Only
 *     this counts toward an unplanned failover.</li>
 * <li>{@link #REFUSED}: a running server answered and turned the probe away: too many clients,
 *     wrong password or role, missing database, no CONNECT privilege, a password variable that is
 *     not set. Failing over would not help (the primary is alive and its clients may well be
 *     served) and may lose data, so a human has to look instead.</li>
 * </ul>
 */
public enum ProbeClassification {
    REACHABLE, UNREACHABLE, REFUSED;

    /**
     * SQLStates of a server that is up but refuses the probe's connection.
     * 53300 too_many_connections (also per role and per database limits, and the slots reserved
     * for superusers), 53400 configuration_limit_exceeded, 28P01/28000 authentication and
     * pg_hba rejection, 3D000 database does not exist, 42501 no CONNECT privilege.
     * <p>
     * 57P03 cannot_connect_now (starting up, shutting down, crash recovery) is deliberately NOT
     * here: a primary in that state serves nobody, and the consecutive-failure threshold already
     * rides out a quick restart; a long recovery is exactly the outage failover exists for.
     */
    private static final Set<String> REFUSING_STATES = Set.of("53300", "53400", "28P01", "28000", "3D000", "42501");

    /** Classifies a probe failure by its SQLState first, then by the network error under it. */
    public static ProbeClassification of(Throwable failure) {
        if (failure instanceof TargetDatabaseException) {
            // Our own configuration (e.g. the password variable is not set): the server was never asked.
            return REFUSED;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && REFUSING_STATES.contains(sql.getSQLState())) {
                return REFUSED;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof InterruptedIOException
                    || t instanceof SocketException) {
                return UNREACHABLE;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57"))) {
                // 08xxx connection exceptions, 57P01-03 shutdown/crash/cannot connect now, 57014 the
                // probe query timed out: the primary is not serving.
                return UNREACHABLE;
            }
        }
        // Anything else came from a server that answered in a way the probe does not understand:
        // not evidence of an outage, so no automatic failover; the error is shown to a human.
        return REFUSED;
    }

    /** The value stored in database_probe_state.last_classification. */
    public String code() {
        return name().toLowerCase();
    }
}
