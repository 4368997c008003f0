package dev.sco.orchestrator.platform.web;

import java.util.Arrays;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;

/** Group checks of the orchestrator API; members of {@link Groups#ADMIN} pass every check. */
public final class Access {

    private Access() {
    }

    /** Refuses with 403 unless the user is in one of the groups (or is an administrator). */
    public static void requireAny(ApiUser user, String... groups) {
        if (user == null || Arrays.stream(groups).noneMatch(user::memberOf)) {
            throw new Forbidden("This needs membership in one of the groups " + String.join(", ", groups)
                    + (Arrays.asList(groups).contains(Groups.ADMIN) ? "" : " or " + Groups.ADMIN));
        }
    }
}
