package dev.sco.orchestrator.platform.forms;

import java.util.List;

/**
 * One list of choices a start form offers, read from the estate when the form is opened. A select
 * component of a deployed form asks for it with the custom property {@code choices} set to
 * {@link #name()}; {@link StartFormChoicesFilter} fills in the values.
 */
public interface FormChoices {

    /** Longest list a form is sent; the start rules still check whatever is submitted. */
    int MAX = 500;

    String name();

    /** The values in the order they are offered; each is shown as it is (estate names). */
    List<String> values();
}
