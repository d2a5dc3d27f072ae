package vn.ndx.contract;

import org.junit.jupiter.api.Test;
import vn.ndx.contract.testing.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The contract is what the services agree on: it depends on none of them, nor on any web or database stack. */
class ContractDependenciesTest {

    @Test
    void the_contract_depends_on_nothing_of_ours_and_on_no_framework() {
        noClasses().that().resideInAPackage("vn.ndx.contract..")
                .should().dependOnClassesThat().resideInAnyPackage("vn.ndx.registry..", "vn.ndx.gateway..", "vn.ndx.exchange..",
                        "vn.ndx.audit..", "vn.ndx.web..", "org.springframework..", "jakarta.servlet..", "java.sql..")
                .check(ArchitectureRules.mainClassesOf("vn.ndx.contract"));
    }
}
