package dev.sco.orchestrator.platform.longstep;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

/**
 * Tells the long-step workers of this node that a long step was just created here (its
 * transaction committed), so the worker fetches it at once instead of at its next poll. A step
 * created on another node is found by this node's poll as before.
 */
@Component
public class LongStepSignal {

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** A listener's registration; closing it ends the calls. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code listener} on every signal, with the id of the process definition whose long step
     * was created, until the answer is closed.
     */
    public Subscription onSignal(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void signal(String processDefinitionId) {
        listeners.forEach(listener -> listener.accept(processDefinitionId));
    }
}
