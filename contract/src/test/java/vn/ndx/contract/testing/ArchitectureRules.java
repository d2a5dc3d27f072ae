package vn.ndx.contract.testing;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure every service keeps, as rules its own test checks against its main classes: no cycle
 * between its packages (features depend one way), and controllers that speak HTTP and leave SQL and Kafka
 * to the classes whose job that is.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The main (not test) classes of one service, by its root package, e.g. {@code vn.ndx.audit}. */
    public static JavaClasses mainClassesOf(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(rootPackage);
    }

    /** The packages right below the root depend on each other without a cycle. */
    public static ArchRule noPackageCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles();
    }

    /** A controller reads a request and answers it; queries and Kafka clients live in the classes it calls. */
    public static ArchRule controllersTouchNeitherSqlNorKafka() {
        return noClasses().that().areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..",
                        "org.apache.kafka..", "org.springframework.kafka..")
                .because("SQL and Kafka belong to the store and event classes a controller calls");
    }

    /** A task run every interval is a PeriodicLoop: one way to run it, and its stalls show in metrics. */
    public static ArchRule periodicTasksUseThePeriodicLoop() {
        return noClasses().that().resideOutsideOfPackage("vn.ndx.web.loop..")
                .should().callMethod(ScheduledExecutorService.class, "scheduleWithFixedDelay", Runnable.class, long.class, long.class,
                        TimeUnit.class)
                .orShould().callMethod(ScheduledExecutorService.class, "scheduleAtFixedRate", Runnable.class, long.class, long.class,
                        TimeUnit.class)
                .because("vn.ndx.web.loop.PeriodicLoop runs them, and NdxLoopStalled watches it");
    }
}
