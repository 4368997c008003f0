package dev.sco.orchestrator.platform;

/** The mark of demo users: removed at start-up when the demo estate is off (see {@link IdentityBootstrap}). */
public final class DemoUsers {

    /** E-mail address every demo user (and the demo fencing agent's user) is created with. */
    public static final String EMAIL = "demo-user@demo-estate.invalid";

    private DemoUsers() {
    }
}
