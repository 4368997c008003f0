package dev.sco.orchestrator.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.camunda.bpm.engine.impl.db.CompositePermissionCheck;
import org.camunda.bpm.engine.impl.db.PermissionCheck;
import org.springframework.stereotype.Component;

/**
 * The answers of the engine's permission checks, remembered until the authorization table changes.
 * <p>
 * A check's answer depends on nothing but the user, the groups, the check itself and the rows of
 * {@code act_ru_authorization}. Every change of that table, by any orchestrator node or by hand,
 * makes PostgreSQL notify the nodes when it commits ({@link EngineChangeListener}); a change
 * made by this node also clears the cache the moment its transaction commits. Either clears every
 * remembered answer: an answer is only served while the table is as it was when the answer was
 * read. Between a commit on another node and its notification arriving here (milliseconds) this
 * node may still answer as just before that commit.
 * <p>
 * The cache answers nothing while this node is not listening (not yet started, or its listening
 * connection lost): every check then goes to the database, as in the stock engine.
 */
@Component
public class AuthorizationCheckCache {

    /** More distinct checks than this (users × groups × resources) and the cache starts over. */
    static final int LIMIT = 10_000;

    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile boolean listening;

    /**
     * The remembered answer, else the check's answer from {@code check}, remembered when the table
     * did not change meanwhile.
     */
    boolean answer(String userId, List<String> groupIds, CompositePermissionCheck checks, BooleanSupplier check) {
        String key = listening ? key(userId, groupIds, checks) : null;
        if (key == null) {
            return check.getAsBoolean();
        }
        long before = generation.get();
        Answer known = answers.get(key);
        if (known != null && known.generation() == before) {
            return known.authorized();
        }
        boolean authorized = check.getAsBoolean();
        if (listening && generation.get() == before) {
            if (answers.size() >= LIMIT) {
                answers.clear();
            }
            answers.put(key, new Answer(authorized, before));
        }
        return authorized;
    }

    /** The authorization table changed (or may have): forget every answer. */
    public void invalidate() {
        generation.incrementAndGet();
        answers.clear();
    }

    /** Called by the listener: notifications arrive from now on (true) or may be missed (false). */
    void listening(boolean listening) {
        invalidate();
        this.listening = listening;
        invalidate();
    }

    /** Whether answers are being remembered (this node listens for changes of the table). */
    public boolean active() {
        return listening;
    }

    int size() {
        return answers.size();
    }

    /**
     * The check as text; null for a check that is not a plain check of stored rows (one that
     * compares with a query's column), which is never remembered.
     */
    static String key(String userId, List<String> groupIds, CompositePermissionCheck checks) {
        StringBuilder key = new StringBuilder(128);
        key.append(userId == null ? "\u0000" : userId).append('\u0001');
        if (groupIds != null) {
            List<String> sorted = new ArrayList<>(groupIds);
            sorted.sort(null);
            for (String group : sorted) {
                key.append(group).append('\u0002');
            }
        }
        key.append('\u0001');
        return append(key, checks) ? key.toString() : null;
    }

    private static boolean append(StringBuilder key, CompositePermissionCheck checks) {
        key.append(checks.isDisjunctive() ? "any(" : "all(");
        for (PermissionCheck check : checks.getAtomicChecks()) {
            if (check.getResourceIdQueryParam() != null) {
                return false;
            }
            key.append(check.getResourceType()).append(':').append(check.getPermission().getClass().getName())
                    .append('.').append(check.getPermission().getName()).append(':')
                    .append(check.getPerms()).append(':')
                    .append(check.getResourceId() == null ? "\u0000" : check.getResourceId()).append(':')
                    .append(check.getAuthorizationNotFoundReturnValue()).append('\u0002');
        }
        for (CompositePermissionCheck composite : checks.getCompositeChecks()) {
            if (!append(key, composite)) {
                return false;
            }
        }
        key.append(')');
        return true;
    }

    private record Answer(boolean authorized, long generation) {
    }
}
