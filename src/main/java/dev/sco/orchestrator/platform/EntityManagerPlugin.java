package dev.sco.orchestrator.platform;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.db.PersistenceSession;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.springframework.stereotype.Component;

/**
 * The engine's entity manager with two additions.
 * <ul>
 *   <li><b>Id check without waste.</b> The engine checks the id of every row it inserts, and builds
 *       that check's error message first: the whole entity as text (a history event lists all its
 *       fields), for every row, error or not. Profiled under the P7 load (process starts), that
 *       text was about 5 % of the service's CPU. Here the same check runs, and the engine's own
 *       code, message and exception come only when the id is actually missing or reserved.</li>
 *   <li><b>Definitions deployed or deleted here</b> clear {@link LatestDefinitions} the moment their
 *       command commits, so a start right after a deployment on this node finds the new version
 *       (other nodes learn it from the table's notification).</li>
 * </ul>
 */
@Component
class EntityManagerPlugin extends AbstractProcessEnginePlugin {

    private final LatestDefinitions definitions;

    EntityManagerPlugin(LatestDefinitions definitions) {
        this.definitions = definitions;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<SessionFactory> factories = configuration.getCustomSessionFactories() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomSessionFactories());
        factories.add(new SessionFactory() {
            @Override
            public Class<?> getSessionType() {
                return DbEntityManager.class;
            }

            @Override
            public Session openSession() {
                PersistenceSession persistence = Context.getCommandContext().getSession(PersistenceSession.class);
                return new CheckedIdEntityManager(configuration, persistence, definitions);
            }
        });
        configuration.setCustomSessionFactories(factories);
    }

    /** The engine's entity manager; its id check builds its message only to throw it. One per command. */
    static final class CheckedIdEntityManager extends DbEntityManager {

        private final LatestDefinitions definitions;
        private boolean clearsDefinitions;

        CheckedIdEntityManager(ProcessEngineConfigurationImpl configuration, PersistenceSession persistence,
                               LatestDefinitions definitions) {
            super(configuration.getIdGenerator(), persistence);
            this.definitions = definitions;
        }

        @Override
        public void insert(DbEntity entity) {
            definitionChanging(entity);
            super.insert(entity);
        }

        @Override
        public void delete(DbEntity entity) {
            definitionChanging(entity);
            super.delete(entity);
        }

        private void definitionChanging(DbEntity entity) {
            if (entity instanceof ProcessDefinitionEntity && !clearsDefinitions) {
                CommandContext context = Context.getCommandContext();
                if (context != null) {
                    clearsDefinitions = true;
                    context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
                            committed -> definitions.invalidate());
                }
            }
        }

        @Override
        protected void validateId(DbEntity entity) {
            String id = entity.getId();
            if (id == null || Authorization.ANY.equals(id)) {
                super.validateId(entity);
            }
        }
    }
}
