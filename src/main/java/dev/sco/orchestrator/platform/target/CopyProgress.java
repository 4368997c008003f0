package dev.sco.orchestrator.platform.target;

/** Told how far a copy has come; called from the copying thread, so it must be quick. */
@FunctionalInterface
public interface CopyProgress {

    CopyProgress NONE = (rows, bytes) -> { };

    void progress(long rows, long bytes);
}
