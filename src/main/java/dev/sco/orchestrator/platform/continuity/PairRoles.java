package dev.sco.orchestrator.platform.continuity;

import java.util.Optional;

/**
 * What the sync of a pair needs to know of the roles its databases act in now (implemented by the
 * failover feature, which moves them). A pair is named by its registered primary; sync copies only
 * from the acting primary to a standby, which after a failover or during a restoration does not
 * exist: a copy then would write the dead old primary's data over the database the consumers use.
 */
public interface PairRoles {

    /** Why the sync of the pair named by {@code primary} may not copy now; empty when it may. */
    Optional<String> syncRefusal(String primary);

    /**
     * Why the tables of the pair may not be changed now: a failover (drills included) or
     * restoration of it is running, or it is failed over. Call it inside the transaction that
     * changes them, which it locks the pair's endpoint row in, so no operation starts in between.
     */
    Optional<String> tableChangeRefusal(String primary);
}
