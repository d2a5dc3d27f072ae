package vn.ndx.audit;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;
import vn.ndx.contract.testing.ArchitectureRules;

/** The structure this service keeps (ArchitectureRules): broken by a change, this says where. */
class ArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf("vn.ndx.audit");

    @Test
    void its_packages_depend_on_each_other_without_a_cycle() {
        ArchitectureRules.noPackageCycles("vn.ndx.audit").check(MAIN);
    }

    @Test
    void its_controllers_touch_neither_sql_nor_kafka() {
        ArchitectureRules.controllersTouchNeitherSqlNorKafka().check(MAIN);
    }

    @Test
    void its_periodic_tasks_run_as_periodic_loops() {
        ArchitectureRules.periodicTasksUseThePeriodicLoop().allowEmptyShould(true).check(MAIN);
    }
}
