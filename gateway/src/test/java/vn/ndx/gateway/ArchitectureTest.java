package vn.ndx.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.web.server.WebFilter;
import vn.ndx.contract.testing.ServiceArchitecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The structure the gateway keeps: the services' rules, and filters that leave Kafka to the event publisher. */
class ArchitectureTest extends ServiceArchitecture {

    ArchitectureTest() {
        super("vn.ndx.gateway");
    }

    /** The gateway has no controllers: its filters are what answers. */
    @Test
    void its_filters_touch_no_kafka_client() {
        noClasses().that().implement(WebFilter.class).or().implement(GatewayFilter.class).or().areAssignableTo(GatewayFilterFactory.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..")
                .because("transaction events go out through TransactionEventPublisher alone")
                .check(main());
    }
}
