package dev.sco.orchestrator.platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.springframework.stereotype.Component;

/**
 * The latest version of each process definition key (without tenant), remembered until
 * {@code act_re_procdef} changes: a deployment, a suspension or a deletion on any node clears it
 * when it commits ({@link EngineChangeListener}). Off, so every lookup asks the database, while
 * this node is not listening for those changes.
 */
@Component
public class LatestDefinitions {

    /** More keys than this and the cache starts over. */
    static final int LIMIT = 10_000;

    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Remembered> latest = new ConcurrentHashMap<>();
    private volatile boolean listening;

    /** What the engine keeps of a definition that a start needs: its id and whether it is suspended. */
    public record Latest(String id, boolean suspended) {

        static Latest of(ProcessDefinitionEntity definition) {
            return new Latest(definition.getId(), definition.isSuspended());
        }
    }

    /**
     * The latest definition of the key, from memory or from {@code lookup} (null: none), which is
     * remembered when the table did not change meanwhile.
     */
    public Latest latest(String key, Supplier<ProcessDefinitionEntity> lookup) {
        if (!listening) {
            ProcessDefinitionEntity found = lookup.get();
            return found == null ? null : Latest.of(found);
        }
        long before = generation.get();
        Remembered known = latest.get(key);
        if (known != null && known.generation() == before) {
            return known.latest();
        }
        ProcessDefinitionEntity found = lookup.get();
        if (found == null) {
            return null;
        }
        Latest answer = Latest.of(found);
        if (listening && generation.get() == before) {
            if (latest.size() >= LIMIT) {
                latest.clear();
            }
            latest.put(key, new Remembered(answer, before));
        }
        return answer;
    }

    /** A process definition changed (or may have): forget everything. */
    public void invalidate() {
        generation.incrementAndGet();
        latest.clear();
    }

    void listening(boolean listening) {
        invalidate();
        this.listening = listening;
        invalidate();
    }

    /** Whether definitions are being remembered (this node listens for their changes). */
    public boolean active() {
        return listening;
    }

    private record Remembered(Latest latest, long generation) {
    }
}
