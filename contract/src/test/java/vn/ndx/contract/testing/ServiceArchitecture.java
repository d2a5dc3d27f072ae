package vn.ndx.contract.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The structure every service keeps ({@link ArchitectureRules}), as tests a service's own test class
 * inherits by naming its root package: broken by a change, they say where.
 */
public abstract class ServiceArchitecture {

    private final String rootPackage;
    private final JavaClasses main;

    protected ServiceArchitecture(String rootPackage) {
        this.rootPackage = rootPackage;
        this.main = ArchitectureRules.mainClassesOf(rootPackage);
    }

    /** The service's main classes, for rules of its own. */
    protected JavaClasses main() {
        return main;
    }

    @Test
    void its_packages_depend_on_each_other_without_a_cycle() {
        ArchitectureRules.noPackageCycles(rootPackage).check(main);
    }

    @Test
    void its_controllers_touch_neither_sql_nor_kafka() {
        ArchitectureRules.controllersTouchNeitherSqlNorKafka().allowEmptyShould(true).check(main);
    }

    @Test
    void its_periodic_tasks_run_as_periodic_loops() {
        ArchitectureRules.periodicTasksUseThePeriodicLoop().allowEmptyShould(true).check(main);
    }
}
