package vn.ndx.web;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;
import vn.ndx.contract.testing.ArchitectureRules;

/** The structure this service keeps (ArchitectureRules): broken by a change, this says where. */
class ArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClassesOf("vn.ndx.web");

    @Test
    void its_packages_depend_on_each_other_without_a_cycle() {
        ArchitectureRules.noPackageCycles("vn.ndx.web").check(MAIN);
    }
}
