package vn.ndx.audit;

import vn.ndx.contract.testing.ServiceArchitecture;

/** The structure this service keeps: no package cycles, controllers without SQL or Kafka, periodic tasks as PeriodicLoops. */
class ArchitectureTest extends ServiceArchitecture {

    ArchitectureTest() {
        super("vn.ndx.audit");
    }
}
