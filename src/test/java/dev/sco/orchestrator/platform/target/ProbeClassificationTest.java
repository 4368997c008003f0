package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** Which probe failures may lead to an unplanned failover (unreachable) and which never do (refused). */
class ProbeClassificationTest {

    @Test
    void aServerThatAnswersAndTurnsTheProbeAwayRefuses() {
        for (String state : new String[] {"53300", "53400", "28P01", "28000", "3D000", "42501"}) {
            assertThat(ProbeClassification.of(new SQLException("no", state))).as(state)
                    .isEqualTo(ProbeClassification.REFUSED);
        }
        assertThat(ProbeClassification.of(new TargetDatabaseException("PRIMARY_DB_PASSWORD is not set")))
                .isEqualTo(ProbeClassification.REFUSED);
        assertThat(ProbeClassification.of(new SQLException("syntax?", "42601"))).isEqualTo(ProbeClassification.REFUSED);
    }

    @Test
    void nothingAnsweringIsUnreachable() {
        assertThat(ProbeClassification.of(new SQLException("refused", "08001", new ConnectException("Connection refused"))))
                .isEqualTo(ProbeClassification.UNREACHABLE);
        assertThat(ProbeClassification.of(new SQLException("timeout", "08001", new SocketTimeoutException())))
                .isEqualTo(ProbeClassification.UNREACHABLE);
        assertThat(ProbeClassification.of(new SQLException("host", null, new UnknownHostException("db.invalid"))))
                .isEqualTo(ProbeClassification.UNREACHABLE);
        assertThat(ProbeClassification.of(new SQLException("I/O", "08006"))).isEqualTo(ProbeClassification.UNREACHABLE);
        // Starting up, shutting down, crash recovery: the primary serves nobody.
        assertThat(ProbeClassification.of(new SQLException("recovery", "57P03"))).isEqualTo(ProbeClassification.UNREACHABLE);
        assertThat(ProbeClassification.of(new SQLException("admin shutdown", "57P01"))).isEqualTo(ProbeClassification.UNREACHABLE);
    }
}
