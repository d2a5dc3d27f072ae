package vn.ndx.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.web.server.WebFilter;
import vn.ndx.contract.testing.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The structure this service keeps (ArchitectureRules): broken by a change, this says where. */
class ArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf("vn.ndx.gateway");

    @Test
    void its_packages_depend_on_each_other_without_a_cycle() {
        ArchitectureRules.noPackageCycles("vn.ndx.gateway").check(MAIN);
    }

    /** The gateway has no controllers: its filters are what answers, and they leave Kafka to the event publisher. */
    @Test
    void its_filters_touch_no_kafka_client() {
        noClasses().that().implement(WebFilter.class).or().implement(GatewayFilter.class).or().areAssignableTo(GatewayFilterFactory.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..")
                .because("transaction events go out through TransactionEventPublisher alone")
                .check(MAIN);
    }

    @Test
    void its_periodic_tasks_run_as_periodic_loops() {
        ArchitectureRules.periodicTasksUseThePeriodicLoop().allowEmptyShould(true).check(MAIN);
    }
}
